import { Link } from "@remix-run/react";
import { Badge, Button, Card, Flex, Heading, Table, Text } from "@radix-ui/themes";
import { coverageLabel } from "~/lib/group-rules";
import { groupsText as t } from "~/lib/messages/groups";
import type { RoundGroupRow } from "~/models/groups.server";
import { DataTable } from "./data-table";
import { EngagementModeBadge } from "./group-badges";

/** The 巡察组 section of a round: every group, its executing org, dates, leader, size and objects. */
export function GroupList({
  roundId,
  roundOrgId,
  level,
  groups,
  canCreate,
}: {
  roundId: number;
  roundOrgId: number;
  level: "province" | "city" | "county";
  groups: RoundGroupRow[];
  canCreate: boolean;
}) {
  return (
    <section aria-labelledby="groups-heading">
      <Flex justify="between" align="end" mt="5" mb="2" gap="3" wrap="wrap">
        <Flex direction="column" gap="1">
          <Heading as="h2" size="4" id="groups-heading">{t.sectionFor(level)}</Heading>
          <Text size="2" color="gray">{t.sectionDescription}</Text>
        </Flex>
        {canCreate ? <Button asChild><Link to={`/rounds/${roundId}/groups/new`}>{t.newFor(level)}</Link></Button> : null}
      </Flex>
      {groups.length === 0 ? (
        <Card size="1"><Text as="p" color="gray" m="3">{t.none}</Text></Card>
      ) : (
        <DataTable
          label={t.sectionFor(level)}
          columns={[{ label: t.name }, { label: t.executingOrg }, { label: t.stationDates }, { label: t.leader }, { label: t.memberCount }, { label: t.objects }]}
        >
          {groups.map((g) => (
            <Table.Row key={g.id} data-testid="group-row">
              <Table.RowHeaderCell>
                <Link className="table-link" to={`/groups/${g.id}`}>{g.name}</Link>
              </Table.RowHeaderCell>
              <Table.Cell>
                {g.executingOrgName ?? "—"}
                {g.executingOrgId !== roundOrgId ? <Badge color="violet" variant="soft" ml="2">{t.crossBadge}</Badge> : null}
              </Table.Cell>
              <Table.Cell style={{ whiteSpace: "nowrap" }}>{t.dates(g.stationStart, g.stationEnd)}</Table.Cell>
              <Table.Cell>{g.leaderName ?? <Text color="gray">{t.noLeader}</Text>}</Table.Cell>
              <Table.Cell>{t.memberCountValue(g.memberCount)}</Table.Cell>
              <Table.Cell>
                {g.engagements.length === 0 ? (
                  <Text color="gray">{t.noObjects}</Text>
                ) : (
                  <Flex direction="column" gap="1">
                    <Text size="1" color="gray" data-testid="group-coverage">{coverageLabel(g.engagements.length)}</Text>
                    {g.engagements.map((e) => (
                      <Flex key={e.id} gap="2" align="center" wrap="wrap">
                        <Link className="table-link" to={`/engagements/${e.id}`}>{e.unitName}</Link>
                        <EngagementModeBadge mode={e.mode} />
                      </Flex>
                    ))}
                  </Flex>
                )}
              </Table.Cell>
            </Table.Row>
          ))}
        </DataTable>
      )}
    </section>
  );
}
