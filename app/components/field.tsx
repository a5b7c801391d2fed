import { Flex, Text } from "@radix-ui/themes";

/** A labelled form control with its Chinese error messages underneath. */
export function Field({
  id,
  label,
  errors,
  errorId,
  small,
  children,
}: {
  id: string;
  label: string;
  errors?: string[];
  errorId?: string;
  small?: boolean;
  children: React.ReactNode;
}) {
  return (
    <Flex direction="column" gap="1">
      <label htmlFor={id}>
        {small ? <Text size="1" color="gray">{label}</Text> : <Text size="2" weight="medium">{label}</Text>}
      </label>
      {children}
      {errors ? <Text className="field-error" id={errorId} role="alert">{errors.join(" ")}</Text> : null}
    </Flex>
  );
}
