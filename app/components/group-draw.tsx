import { getCollectionProps, getFormProps, getInputProps, getSelectProps } from "@conform-to/react";
import { Form, Link, useNavigation } from "@remix-run/react";
import { Badge, Button, Card, Flex, Grid, Heading, Table, Text, TextField } from "@radix-ui/themes";
import { useZodForm } from "~/lib/forms";
import { cadrePoolLabel, cadreSpecialties } from "~/lib/messages";
import { groupsText as t } from "~/lib/messages/groups";
import { cadrePools } from "~/lib/schemas/cadre";
import { drawSchema } from "~/lib/schemas/group";
import type { DrawnCadre, DrawRow } from "~/models/groups.server";
import { DataTable } from "./data-table";
import { Field } from "./field";
import { RotationBadge } from "./group-badges";
import { ErrorCallout, replyErrors, type Reply } from "./group-members";
import { NativeSelect } from "./native-select";

const when = (d: Date | string) => new Date(d).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false });

/** 随机抽选: how many, which specialties (any of them), from which pool. */
export function DrawForm({ lastResult }: { lastResult?: Reply }) {
  const navigation = useNavigation();
  const [form, fields] = useZodForm(drawSchema, { id: "draw", lastResult, defaultValue: { count: 3, pool: "talent", specialties: [] } });
  return (
    <Form method="post" preventScrollReset {...getFormProps(form)} aria-label={t.draw}>
      <input type="hidden" name="intent" value="draw" />
      {form.errors?.length ? <ErrorCallout errors={form.errors} /> : null}
      <Flex direction="column" gap="3">
        <Grid columns={{ initial: "1", sm: "4" }} gap="3" align="start">
          <Field small id={fields.count.id} label={t.drawCount} errors={fields.count.errors} errorId={fields.count.errorId}>
            <TextField.Root {...getInputProps(fields.count, { type: "number" })} key={fields.count.key} />
          </Field>
          <Field small id={fields.pool.id} label={t.drawPool} errors={fields.pool.errors} errorId={fields.pool.errorId}>
            <NativeSelect {...getSelectProps(fields.pool)} key={fields.pool.key}>
              {cadrePools.map((p) => <option key={p} value={p}>{cadrePoolLabel[p]}</option>)}
            </NativeSelect>
          </Field>
        </Grid>
        <fieldset className="plain-fieldset">
          <legend><Text size="1" color="gray">{t.drawSpecialties}</Text></legend>
          <Flex gap="4" wrap="wrap">
            {getCollectionProps(fields.specialties, { type: "checkbox", options: [...cadreSpecialties] }).map((p) => (
              <label key={p.key} className="check-label"><input {...p} key={p.key} /> {p.value}</label>
            ))}
          </Flex>
        </fieldset>
        <div>
          <Button type="submit" variant="soft" loading={navigation.state === "submitting" && navigation.formData?.get("intent") === "draw"}>{t.drawSubmit}</Button>
        </div>
      </Flex>
    </Form>
  );
}

/** The cadres a draw proposed, each to be added (or all at once). */
export function DrawResult({
  draw,
  cadres,
  canAssign,
  reply,
  closeTo,
}: {
  draw: DrawRow;
  cadres: DrawnCadre[];
  canAssign: boolean;
  reply?: Reply;
  closeTo: string;
}) {
  const navigation = useNavigation();
  const pending = cadres.filter((c) => !c.isMember);
  return (
    <Card size="2" mb="3" data-testid="draw-result">
      <Flex justify="between" align="start" gap="3" wrap="wrap" mb="2">
        <Flex direction="column" gap="1">
          <Heading as="h3" size="3">{t.drawResult}</Heading>
          <Text size="2" color="gray">{t.drawResultDescription(when(draw.drawnAt), draw.drawnBy ?? "—", `${cadrePoolLabel[draw.pool]} · ${draw.specialties.join("、") || t.anySpecialty}`, draw.eligible)}</Text>
        </Flex>
        <Flex gap="2">
          {canAssign && pending.length > 1 ? (
            <Form method="post" preventScrollReset>
              <input type="hidden" name="intent" value="add-drawn" />
              <input type="hidden" name="drawId" value={draw.id} />
              <Button type="submit" loading={navigation.state === "submitting" && navigation.formData?.get("intent") === "add-drawn"}>{t.addAllDrawn}</Button>
            </Form>
          ) : null}
          <Button asChild variant="soft" color="gray"><Link to={closeTo} preventScrollReset>{t.closeDraw}</Link></Button>
        </Flex>
      </Flex>
      <ErrorCallout errors={replyErrors(reply)} />
      {cadres.length === 0 ? (
        <Text as="p" color="gray" size="2">{t.drawEmpty}</Text>
      ) : (
        <Table.Root size="1" variant="ghost">
          <caption className="visually-hidden">{t.drawResult}</caption>
          <Table.Header>
            <Table.Row>
              <Table.ColumnHeaderCell>{t.memberName}</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>{t.rank}</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>{t.specialties}</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell />
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {cadres.map((c) => (
              <Table.Row key={c.id} data-testid="drawn-row">
                <Table.RowHeaderCell>
                  <Flex gap="2" align="center" wrap="wrap"><Text weight="medium">{c.name}</Text>{c.rotationWarning ? <RotationBadge /> : null}</Flex>
                </Table.RowHeaderCell>
                <Table.Cell>{c.rank ?? "—"}</Table.Cell>
                <Table.Cell>{c.specialties.join("、")}</Table.Cell>
                <Table.Cell>
                  {c.isMember ? (
                    <Badge color="green" variant="soft">{t.alreadyMember}</Badge>
                  ) : canAssign ? (
                    <Form method="post" preventScrollReset>
                      <input type="hidden" name="intent" value="add-member" />
                      <input type="hidden" name="cadreId" value={c.id} />
                      <input type="hidden" name="role" value="member" />
                      <input type="hidden" name="drawId" value={draw.id} />
                      <Button type="submit" size="1" variant="soft" aria-label={t.addDrawnLabel(c.name)}
                        loading={navigation.state === "submitting" && navigation.formData?.get("cadreId") === String(c.id)}>
                        {t.addDrawn}
                      </Button>
                    </Form>
                  ) : null}
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table.Root>
      )}
    </Card>
  );
}

export function DrawHistory({ draws, linkTo }: { draws: DrawRow[]; linkTo: (id: number) => string }) {
  if (draws.length === 0) return <Text as="p" color="gray" size="2">{t.drawNoHistory}</Text>;
  return (
    <DataTable
      label={t.drawHistory}
      columns={[{ label: t.drawnAt }, { label: t.drawnBy }, { label: t.drawPool }, { label: t.specialties }, { label: t.drawRequested }, { label: t.drawEligible }, { label: t.drawProposed }, { label: "" }]}
    >
      {draws.map((d) => (
        <Table.Row key={d.id} data-testid="draw-row">
          <Table.Cell style={{ whiteSpace: "nowrap" }}>{when(d.drawnAt)}</Table.Cell>
          <Table.Cell>{d.drawnBy ?? "—"}</Table.Cell>
          <Table.Cell>{cadrePoolLabel[d.pool]}</Table.Cell>
          <Table.Cell>{d.specialties.join("、") || t.anySpecialty}</Table.Cell>
          <Table.Cell>{d.requested}</Table.Cell>
          <Table.Cell>{d.eligible}</Table.Cell>
          <Table.Cell>{d.proposedNames ?? "—"}</Table.Cell>
          <Table.Cell><Link className="table-link" to={linkTo(d.id)} preventScrollReset>{t.drawView}</Link></Table.Cell>
        </Table.Row>
      ))}
    </DataTable>
  );
}
