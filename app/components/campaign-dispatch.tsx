import { useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Box, Button, Callout, Card, Flex, Heading, Text, TextArea } from "@radix-ui/themes";
import { dispatchesText as t } from "~/lib/messages/campaigns";
import { OfficePicker, type OfficeOption } from "./campaign-offices";

export const DISPATCH_ACTION = "/dispatches/new";

export interface DispatchOptions {
  offices: OfficeOption[];
  campaign: { id: number; title: string } | null;
  defaultRecipients: number[];
}

/**
 * Sends the composed report down: the builder's form posts here (the same title, 主送 and
 * problems as the download) with the recipients and a note. The server generates the
 * .docx again from what the caller sees and stores it as sent; on success it redirects to
 * the dispatch, on a refusal the message shows here.
 */
export function useDispatch() {
  const fetcher = useFetcher<{ error?: string }>();
  const [local, setLocal] = useState<string | null>(null);
  return {
    busy: fetcher.state !== "idle",
    error: local ?? (fetcher.state === "idle" ? fetcher.data?.error ?? null : null),
    submit(formData: FormData) {
      if (formData.getAll("recipient").length === 0) {
        setLocal(t.recipientsRequired);
        return;
      }
      setLocal(null);
      formData.set("intent", "dispatch");
      fetcher.submit(formData, { method: "post", action: DISPATCH_ACTION });
    },
  };
}

/** The recipients, the note and the button, inside the builder's form. */
export function DispatchPanel({ options, busy, error }: { options: DispatchOptions; busy: boolean; error: string | null }) {
  return (
    <Card size="3" mb="3" data-testid="dispatch-panel">
      <Heading as="h2" size="3" mb="1">{t.panel}</Heading>
      <Text as="p" size="1" color="gray" mb="3">
        {t.panelHint}{options.campaign ? ` ${t.panelCampaignHint(options.campaign.title)}` : ""}
      </Text>
      {options.campaign ? <input type="hidden" name="campaign" value={options.campaign.id} /> : null}
      <Flex direction="column" gap="3">
        <OfficePicker name="recipient" legend={t.recipientsLabel} offices={options.offices} defaultSelected={options.defaultRecipients} />
        <Box>
          <label htmlFor="dispatch-note"><Text size="2" weight="medium">{t.noteLabel}</Text></label>
          <TextArea id="dispatch-note" name="note" rows={3} maxLength={2000} placeholder={t.noteHint} mt="1" />
        </Box>
        {error ? (
          <Callout.Root color="red" role="alert" data-testid="dispatch-error"><Callout.Text>{error}</Callout.Text></Callout.Root>
        ) : null}
        <Flex>
          <Button type="submit" name="intent" value="dispatch" formAction={DISPATCH_ACTION} loading={busy} data-testid="dispatch-send">
            {busy ? t.sending : t.send}
          </Button>
        </Flex>
      </Flex>
    </Card>
  );
}
