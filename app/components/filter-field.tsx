import { Flex, Text } from "@radix-ui/themes";
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
