import { Form } from "@remix-run/react";
import { Button, Flex, Text, TextField } from "@radix-ui/themes";

/**
 * A GET search box on a page with several of them: the server filters (thousands of
 * units, hundreds of cadres), and the other boxes' queries are kept.
 */
export function SearchBox({
  id,
  name,
  label,
  buttonLabel,
  defaultValue,
  keep,
}: {
  id: string;
  name: string;
  label: string;
  buttonLabel: string;
  defaultValue?: string;
  keep: Record<string, string | number | undefined>;
}) {
  return (
    <Form method="get" preventScrollReset role="search" aria-label={label}>
      {Object.entries(keep).map(([k, v]) => (v === undefined || v === "" ? null : <input key={k} type="hidden" name={k} value={v} />))}
      <Flex gap="2" align="end" wrap="wrap">
        <Flex direction="column" gap="1">
          <label htmlFor={id}><Text size="1" color="gray">{label}</Text></label>
          <TextField.Root id={id} name={name} type="search" defaultValue={defaultValue ?? ""} maxLength={40} style={{ minWidth: 240 }} />
        </Flex>
        <Button type="submit" variant="soft">{buttonLabel}</Button>
      </Flex>
    </Form>
  );
}
