import { Card, Table } from "@radix-ui/themes";

export interface Column {
  label: string;
  align?: "start" | "center" | "end";
}

/**
 * A list table in a card. The caption names the table for assistive technology (and
 * for tests: getByRole("table", { name })); Radix puts other props on its wrapper div.
 */
export function DataTable({ label, columns, children }: { label: string; columns: Column[]; children: React.ReactNode }) {
  return (
    <Card size="1">
      <Table.Root size="1" variant="ghost">
        <caption className="visually-hidden">{label}</caption>
        <Table.Header>
          <Table.Row>
            {columns.map((c) => (
              <Table.ColumnHeaderCell key={c.label} justify={c.align}>{c.label}</Table.ColumnHeaderCell>
            ))}
          </Table.Row>
        </Table.Header>
        <Table.Body>{children}</Table.Body>
      </Table.Root>
    </Card>
  );
}
