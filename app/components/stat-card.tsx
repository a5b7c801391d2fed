import { Link } from "@remix-run/react";
import { Card, Flex, Text } from "@radix-ui/themes";

export function StatCard({ label, value, to, testId }: { label: string; value: React.ReactNode; to?: string; testId?: string }) {
  const figure = <Text size="7" weight="bold" data-testid={testId}>{value}</Text>;
  return (
    <Card size="3">
      <Flex direction="column" gap="1">
        <Text color="gray" size="2">{label}</Text>
        {to ? <Link to={to} className="table-link">{figure}</Link> : figure}
      </Flex>
    </Card>
  );
}
