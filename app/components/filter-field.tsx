import { Link } from "@remix-run/react";
import { Button, Flex, Text, TextField } from "@radix-ui/themes";
import { NativeSelect } from "./native-select";

/** A labelled filter select for GET forms on list pages. */
export function FilterSelect({
  id,
  name,
  label,
  defaultValue,
  options,
  allLabel,
}: {
  id: string;
  name: string;
  label: string;
  defaultValue: string | number | undefined;
  options: { value: string | number; label: string }[];
  allLabel?: string;
}) {
  return (
    <Flex direction="column" gap="1">
      <label htmlFor={id}><Text size="1" color="gray">{label}</Text></label>
      <NativeSelect id={id} name={name} defaultValue={defaultValue ?? ""}>
        {allLabel !== undefined ? <option value="">{allLabel}</option> : null}
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </NativeSelect>
    </Flex>
  );
}

/** The keyword box of a list page's GET form (name "q"). */
export function FilterSearch({ label, defaultValue, maxLength = 50 }: { label: string; defaultValue: string | undefined; maxLength?: number }) {
  return (
    <Flex direction="column" gap="1">
      <label htmlFor="f-q"><Text size="1" color="gray">{label}</Text></label>
      <TextField.Root id="f-q" name="q" defaultValue={defaultValue ?? ""} maxLength={maxLength} />
    </Flex>
  );
}

/** 查询 and 重置 (back to the page without filters). */
export function FilterButtons({ apply, reset, resetTo }: { apply: string; reset: string; resetTo: string }) {
  return (
    <>
      <Button type="submit">{apply}</Button>
      <Button asChild variant="soft" color="gray"><Link to={resetTo}>{reset}</Link></Button>
    </>
  );
}
