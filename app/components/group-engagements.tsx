import { getFormProps } from "@conform-to/react";
import { Form, Link, useNavigation } from "@remix-run/react";
import { Button, Flex, Grid, Table, Text } from "@radix-ui/themes";
import { useState } from "react";
import { useZodForm } from "~/lib/forms";
import type { EngagementMode } from "~/lib/group-rules";
import { engagementModeLabel } from "~/lib/messages";
import { groupsText as t } from "~/lib/messages/groups";
import { engagementModes } from "~/lib/schemas/engagement";
import { engagementSchema } from "~/lib/schemas/group";
import type { GroupEngagementRow, UnitOption } from "~/models/groups.server";
import { DataTable } from "./data-table";
import { Field } from "./field";
import { EngagementModeBadge } from "./group-badges";
import { ErrorCallout, RemoveRowForm, replyErrors, type Reply } from "./group-members";
import { NativeSelect } from "./native-select";

export interface GroupEngagementView extends GroupEngagementRow {
  /** Planned and not stationed, and the user's office supervises it. */
  canRemove: boolean;
}

export function EngagementsTable({ engagements, removeReply }: { engagements: GroupEngagementView[]; removeReply?: Reply }) {
  return (
    <>
      <ErrorCallout errors={replyErrors(removeReply)} />
      {engagements.length === 0 ? (
        <Text as="p" color="gray" size="2" mb="2">{t.noEngagements}</Text>
      ) : (
        <DataTable
          label={t.engagements}
          columns={[{ label: t.unit }, { label: t.mode }, { label: t.unitOrg }, { label: t.stationedOn }, { label: "" }]}
        >
          {engagements.map((e) => (
            <Table.Row key={e.id} data-testid="engagement-row">
              <Table.RowHeaderCell><Link className="table-link" to={`/engagements/${e.id}`}>{e.unitName}</Link></Table.RowHeaderCell>
              <Table.Cell><EngagementModeBadge mode={e.mode} /></Table.Cell>
              <Table.Cell>{e.targetOrgName ?? "—"}</Table.Cell>
              <Table.Cell>{e.stationedOn ?? <Text color="gray">{t.notStationed}</Text>}</Table.Cell>
              <Table.Cell>
                <Flex gap="3" align="center" justify="end">
                  <Link className="table-link" to={`/engagements/${e.id}`}><Text size="1">{t.openEngagement}</Text></Link>
                  {e.canRemove ? (
                    <RemoveRowForm intent="remove-engagement" idName="engagementId" id={e.id} label={t.removeEngagementLabel(e.unitName)}>
                      {t.removeEngagement}
                    </RemoveRowForm>
                  ) : null}
                </Flex>
              </Table.Cell>
            </Table.Row>
          ))}
        </DataTable>
      )}
    </>
  );
}

export interface UnitOptionView extends UnitOption {
  /** The mode that fits the unit (suggestMode). */
  suggested: EngagementMode;
}

/** Id, name and error wiring of a select whose value the form keeps itself (no defaultValue). */
const controlledSelect = (field: { id: string; name: string; errors?: string[]; errorId: string }) => ({
  id: field.id,
  name: field.name,
  "aria-invalid": field.errors ? true : undefined,
  "aria-describedby": field.errors ? field.errorId : undefined,
});

/**
 * A unit found by the search box above and the mode: the mode that fits the unit is
 * proposed as it is picked; the database judges the choice.
 */
export function AddEngagementForm({ units, more, lastResult }: { units: UnitOptionView[]; more: boolean; lastResult?: Reply }) {
  const navigation = useNavigation();
  const [form, fields] = useZodForm(engagementSchema, { id: "add-engagement", lastResult });
  const typedUnit = Number(fields.unitId.initialValue) || undefined;
  const [unitId, setUnitId] = useState<number | undefined>(typedUnit);
  const suggested = units.find((u) => u.id === unitId)?.suggested;
  const [mode, setMode] = useState<string>(String(fields.mode.initialValue ?? suggested ?? ""));
  return (
    <Form method="post" preventScrollReset {...getFormProps(form)} aria-label={t.addEngagement}>
      <input type="hidden" name="intent" value="add-engagement" />
      {form.errors?.length ? <ErrorCallout errors={form.errors} /> : null}
      <Grid columns={{ initial: "1", sm: "3" }} gap="3" align="start">
        <div style={{ gridColumn: "span 2" }}>
          <Field small id={fields.unitId.id} label={t.unit} errors={fields.unitId.errors} errorId={fields.unitId.errorId}>
            <NativeSelect
              {...controlledSelect(fields.unitId)}
              value={unitId ?? ""}
              onChange={(e) => {
                const id = Number(e.target.value) || undefined;
                setUnitId(id);
                const fit = units.find((u) => u.id === id)?.suggested;
                if (fit) setMode(fit);
              }}
              style={{ width: "100%" }}
            >
              <option value="">{units.length ? "请选择" : t.noUnits}</option>
              {units.map((u) => (
                <option key={u.id} value={u.id} disabled={!!u.takenBy}>
                  {u.name}（{u.orgName}）{u.takenBy ? ` · ${t.unitTaken(u.takenBy)}` : ""}
                </option>
              ))}
            </NativeSelect>
          </Field>
          <Text size="1" color="gray">{t.unitsFound(units.length, more)}</Text>
        </div>
        <Field small id={fields.mode.id} label={t.mode} errors={fields.mode.errors} errorId={fields.mode.errorId}>
          <NativeSelect
            {...controlledSelect(fields.mode)}
            value={mode}
            onChange={(e) => setMode(e.target.value)}
          >
            <option value="">请选择</option>
            {engagementModes.map((md) => <option key={md} value={md}>{engagementModeLabel[md]}</option>)}
          </NativeSelect>
          {suggested ? <Text size="1" color="gray" data-testid="mode-suggestion">{t.modeSuggested(engagementModeLabel[suggested])}</Text> : null}
        </Field>
      </Grid>
      <Text as="p" size="1" color="gray" mt="2">{t.modeHint}</Text>
      <Button type="submit" mt="3" loading={navigation.state === "submitting" && navigation.formData?.get("intent") === "add-engagement"}>{t.addEngagement}</Button>
    </Form>
  );
}
