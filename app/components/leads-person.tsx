import { Form, useNavigation } from "@remix-run/react";
import { Button, Callout, DataList, Flex, Text } from "@radix-ui/themes";
import { headLevelLabel } from "~/lib/messages";
import { leadsText as t } from "~/lib/messages/leads";
import type { LeadPerson } from "~/models/leads.server";

export type PersonRevealResult = { denied: true } | { denied: false; person: LeadPerson };

/**
 * The person concerned (被反映人), behind a deliberate, audited request. Whoever may see
 * it (the receiving partner, or a holder of view_lead_person) gets a button; the answer
 * comes back in the action's reply only, so it shows once and is gone on the next page
 * load. Everyone else sees that it is restricted.
 */
export function LeadPersonCard({ canReveal, revealed }: { canReveal: boolean; revealed?: PersonRevealResult }) {
  const navigation = useNavigation();
  if (revealed && !revealed.denied) {
    const p = revealed.person;
    return (
      <Callout.Root color="amber" role="status" data-testid="lead-person">
        <Flex direction="column" gap="2">
          <Callout.Text weight="medium">{t.revealed}</Callout.Text>
          <DataList.Root size="2">
            <DataList.Item><DataList.Label>{t.personName}</DataList.Label><DataList.Value>{p.personName ?? "—"}</DataList.Value></DataList.Item>
            <DataList.Item><DataList.Label>{t.personPost}</DataList.Label><DataList.Value>{p.personPost ?? "—"}</DataList.Value></DataList.Item>
            <DataList.Item>
              <DataList.Label>{t.personLevel}</DataList.Label>
              <DataList.Value>{p.personLevel ? headLevelLabel[p.personLevel] : t.levelUnknown}</DataList.Value>
            </DataList.Item>
          </DataList.Root>
        </Flex>
      </Callout.Root>
    );
  }
  return (
    <Flex direction="column" gap="2" align="start">
      <Text data-testid="lead-person-restricted">{t.personRestricted}</Text>
      <Text size="1" color="gray">{t.personHint}</Text>
      {revealed?.denied ? (
        <Callout.Root color="red" role="alert"><Callout.Text>{t.revealDenied}</Callout.Text></Callout.Root>
      ) : null}
      {canReveal ? (
        <Form method="post">
          <input type="hidden" name="intent" value="reveal" />
          <Flex gap="3" align="center">
            <Button
              type="submit"
              color="amber"
              variant="soft"
              loading={navigation.state === "submitting" && navigation.formData?.get("intent") === "reveal"}
            >
              {t.reveal}
            </Button>
            <Text size="1" color="gray">{t.revealNote}</Text>
          </Flex>
        </Form>
      ) : null}
    </Flex>
  );
}
