import { Form, useNavigation } from "@remix-run/react";
import { Badge, Button, Callout, DataList, Flex, Text } from "@radix-ui/themes";
import { engagementsText } from "~/lib/messages/engagements";

const t = engagementsText.petition;

export type RevealResult =
  | { denied: true }
  | { denied: false; identity: { reporterName: string | null; reporterContact: string | null } | null };

/**
 * Who reported, behind a deliberate, audited request. A holder of view_reporter_identity
 * sees a button; the name and contact come back in the action's answer only, so they
 * show once and are gone on the next page load. Everyone else sees that the identity is
 * restricted (and whether one was recorded).
 */
export function ReporterIdentity({
  anonymous,
  hasReporter,
  canReveal,
  revealed,
}: {
  anonymous: boolean;
  hasReporter: boolean;
  canReveal: boolean;
  revealed?: RevealResult;
}) {
  const navigation = useNavigation();
  if (anonymous) return <Text color="gray">{t.identityAnonymous}</Text>;
  if (revealed && !revealed.denied) {
    const id = revealed.identity;
    return (
      <Callout.Root color="amber" role="status" data-testid="reporter-identity">
        <Callout.Text>
          <Text as="div" weight="medium" mb="2">{t.revealed}</Text>
          {id ? (
            <DataList.Root size="2">
              <DataList.Item><DataList.Label>{t.reporterName}</DataList.Label><DataList.Value>{id.reporterName ?? "—"}</DataList.Value></DataList.Item>
              <DataList.Item><DataList.Label>{t.reporterContact}</DataList.Label><DataList.Value>{id.reporterContact ?? "—"}</DataList.Value></DataList.Item>
            </DataList.Root>
          ) : (
            t.revealEmpty
          )}
        </Callout.Text>
      </Callout.Root>
    );
  }
  return (
    <Flex direction="column" gap="2" align="start">
      <Flex gap="2" align="center">
        <Text data-testid="identity-restricted">{t.identityRestricted}</Text>
        {hasReporter ? <Badge color="green" variant="soft">{t.identityRecorded}</Badge> : <Badge color="gray" variant="soft">{t.identityNotRecorded}</Badge>}
      </Flex>
      {revealed?.denied ? (
        <Callout.Root color="red" role="alert"><Callout.Text>{t.revealDenied}</Callout.Text></Callout.Root>
      ) : null}
      {canReveal ? (
        <Form method="post">
          <input type="hidden" name="intent" value="reveal" />
          <Flex gap="3" align="center">
            <Button type="submit" color="amber" variant="soft" loading={navigation.state === "submitting" && navigation.formData?.get("intent") === "reveal"}>
              {t.reveal}
            </Button>
            <Text size="1" color="gray">{t.revealNote}</Text>
          </Flex>
        </Form>
      ) : null}
    </Flex>
  );
}
