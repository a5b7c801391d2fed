import { Link } from "@remix-run/react";
import { Badge, Flex, Table, Text } from "@radix-ui/themes";
import { leadSourceLabel, leadStageLabel, leadsText as t } from "~/lib/messages/leads";
import type { LeadHandling, LeadRow, LeadStage } from "~/models/leads.server";
import { DataTable } from "./data-table";

const stageColor: Record<LeadStage, "gray" | "amber" | "blue" | "crimson" | "green" | "purple"> = {
  registered: "gray",
  transferred: "amber",
  initial_check: "blue",
  case_opened: "crimson",
  concluded: "green",
  shelved: "gray",
  judicial: "purple",
};

export function LeadStageBadge({ stage }: { stage: LeadStage }) {
  return <Badge color={stageColor[stage]} variant="soft">{leadStageLabel[stage]}</Badge>;
}

/** A lead waiting for the receiving partner: transferred, nothing recorded yet. */
export const isUnhandled = (l: { stage: LeadStage }) => l.stage === "transferred";

/** Stages grouped as the lists filter them. */
export const leadPhases = {
  unsent: ["registered"],
  pending: ["transferred"],
  handling: ["initial_check", "case_opened"],
  closed: ["concluded", "shelved", "judicial"],
} as const satisfies Record<string, readonly LeadStage[]>;
export type LeadPhase = keyof typeof leadPhases;

const summaryOf = (s: string) => (s.length > 48 ? `${s.slice(0, 48)}…` : s);

/**
 * A list of leads. Never the person concerned: the functions behind it do not return
 * it, and the summary is the office's own wording. `partner` is the receiving body's
 * view (its inbox): who transferred it, and the unhandled ones marked.
 */
export function LeadTable({
  leads,
  showUnit,
  partner,
  actions,
}: {
  leads: LeadRow[];
  showUnit: boolean;
  partner?: boolean;
  /** A last column of row actions (移交), when given. */
  actions?: (lead: LeadRow) => React.ReactNode;
}) {
  if (leads.length === 0) {
    return <Text as="p" color="gray" my="3" data-testid="leads-empty">{partner ? t.emptyPartner : t.empty}</Text>;
  }
  const columns = [
    { label: t.colNo },
    ...(showUnit ? [{ label: t.unit }] : []),
    ...(partner ? [{ label: t.executingOrg }] : [{ label: t.source }]),
    { label: t.summary },
    { label: t.colStage },
    ...(partner ? [] : [{ label: t.receivingOrg }]),
    { label: t.transferredOn },
    ...(partner ? [{ label: t.documentNo }] : []),
    { label: t.outcome },
    ...(actions ? [{ label: t.actions }] : []),
  ];
  return (
    <DataTable label={t.title} columns={columns}>
      {leads.map((l) => (
        <Table.Row key={l.id} data-testid="lead-row" data-unhandled={isUnhandled(l) ? "true" : undefined}>
          <Table.RowHeaderCell style={{ whiteSpace: "nowrap" }}>
            <Link className="table-link" to={`/leads/${l.id}`}>{t.noValue(l.seq)}</Link>
          </Table.RowHeaderCell>
          {showUnit ? <Table.Cell>{l.unitName}</Table.Cell> : null}
          {partner ? (
            <Table.Cell>{l.executingOrgName}</Table.Cell>
          ) : (
            <Table.Cell style={{ whiteSpace: "nowrap" }}>{l.problemId ? leadSourceLabel.problem : leadSourceLabel.petition}</Table.Cell>
          )}
          <Table.Cell><Text size="2">{summaryOf(l.summary)}</Text></Table.Cell>
          <Table.Cell style={{ whiteSpace: "nowrap" }}>
            <Flex gap="1" align="center">
              <LeadStageBadge stage={l.stage} />
              {partner && isUnhandled(l) ? <Badge color="red" variant="solid" data-testid="lead-unhandled">{t.unhandled}</Badge> : null}
            </Flex>
          </Table.Cell>
          {partner ? null : <Table.Cell>{l.receivingOrgName ?? <Text color="gray">{t.notTransferred}</Text>}</Table.Cell>}
          <Table.Cell style={{ whiteSpace: "nowrap" }}>{l.transferredOn ?? "—"}</Table.Cell>
          {partner ? <Table.Cell>{l.documentNo ?? "—"}</Table.Cell> : null}
          <Table.Cell>{t.outcomeValue(l.sanctionedPersons, l.judicialPersons)}</Table.Cell>
          {actions ? <Table.Cell style={{ whiteSpace: "nowrap" }}>{actions(l)}</Table.Cell> : null}
        </Table.Row>
      ))}
    </DataTable>
  );
}

/** The receiving body's handling, in the order it was recorded. */
export function LeadHandlingTable({ handlings, transferred }: { handlings: LeadHandling[]; transferred: boolean }) {
  if (handlings.length === 0) {
    return <Text as="p" color="gray" my="2">{transferred ? t.historyEmpty : t.historyEmptyNotTransferred}</Text>;
  }
  return (
    <DataTable
      label={t.history}
      columns={[{ label: t.handleStage }, { label: t.occurredOn }, { label: t.note }, { label: t.sanctioned, align: "end" }, { label: t.judicial, align: "end" }, { label: t.recordedAt }]}
    >
      {handlings.map((h, i) => (
        <Table.Row key={i} data-testid="handling-row">
          <Table.RowHeaderCell><LeadStageBadge stage={h.stage} /></Table.RowHeaderCell>
          <Table.Cell style={{ whiteSpace: "nowrap" }}>{h.occurredOn}</Table.Cell>
          <Table.Cell><Text className="pre-wrap" size="2">{h.note ?? "—"}</Text></Table.Cell>
          <Table.Cell justify="end">{h.sanctioned}</Table.Cell>
          <Table.Cell justify="end">{h.judicial}</Table.Cell>
          <Table.Cell style={{ whiteSpace: "nowrap" }}>
            {new Date(h.recordedAt).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false })}
          </Table.Cell>
        </Table.Row>
      ))}
    </DataTable>
  );
}
