import { Flex, Heading, Text } from "@radix-ui/themes";

export function PageHeader({ title, description, actions }: { title: string; description?: string; actions?: React.ReactNode }) {
  return (
    <Flex justify="between" align="end" mb="4" gap="4" wrap="wrap">
      <Flex direction="column" gap="1">
        <Heading as="h1" size="6">{title}</Heading>
        {description ? <Text color="gray" size="2">{description}</Text> : null}
      </Flex>
      {actions}
    </Flex>
  );
}
