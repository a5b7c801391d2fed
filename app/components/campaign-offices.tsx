import { useMemo, useState } from "react";
import { Badge, Box, Button, Flex, Grid, Text } from "@radix-ui/themes";
import { campaignsText as t } from "~/lib/messages/campaigns";

export interface OfficeOption {
  id: number;
  name: string;
  level: "province" | "city" | "county";
  children: OfficeOption[];
}

const allIds = (nodes: OfficeOption[]): number[] => nodes.flatMap((n) => [n.id, ...allIds(n.children)]);

/**
 * Offices below the acting one, as checkboxes named `name`: each direct child (a city of
 * a province, or a county of a city) with its own offices in a fold-out beneath it, a
 * "全选下级" per child and 全选 / 清空 for all. `fixed` offices are shown checked and
 * disabled (already taking part) and are not submitted.
 */
export function OfficePicker({
  name,
  legend,
  hint,
  offices,
  defaultSelected = [],
  fixed = [],
  errors,
  errorId,
}: {
  name: string;
  legend: string;
  hint?: string;
  offices: OfficeOption[];
  defaultSelected?: number[];
  fixed?: number[];
  errors?: string[];
  errorId?: string;
}) {
  const fixedSet = useMemo(() => new Set(fixed), [fixed]);
  const [selected, setSelected] = useState<Set<number>>(() => new Set(defaultSelected.filter((id) => !fixedSet.has(id))));
  const every = useMemo(() => allIds(offices).filter((id) => !fixedSet.has(id)), [offices, fixedSet]);
  const set = (ids: number[], on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      for (const id of ids) {
        if (fixedSet.has(id)) continue;
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });

  const box = (o: OfficeOption) => (
    <label key={o.id} className="check-label" style={{ minWidth: 0 }}>
      <input
        type="checkbox"
        name={fixedSet.has(o.id) ? undefined : name}
        value={o.id}
        checked={fixedSet.has(o.id) || selected.has(o.id)}
        disabled={fixedSet.has(o.id)}
        onChange={(e) => set([o.id], e.currentTarget.checked)}
        aria-describedby={errors ? errorId : undefined}
      />
      <span>{o.name}</span>
    </label>
  );

  return (
    <fieldset className="plain-fieldset" aria-describedby={errors ? errorId : undefined} data-testid={`picker-${name}`}>
      <legend><Text size="2" weight="medium">{legend}</Text></legend>
      {hint ? <Text size="1" color="gray">{hint}</Text> : null}
      {offices.length === 0 ? (
        <Text size="2" color="gray">{t.noDescendants}</Text>
      ) : (
        <>
          <Flex gap="2" align="center" my="1" wrap="wrap">
            <Button type="button" size="1" variant="soft" onClick={() => set(every, true)}>{t.selectAll}</Button>
            <Button type="button" size="1" variant="soft" color="gray" onClick={() => set(every, false)}>{t.clearAll}</Button>
            <Text size="1" color="gray" data-testid={`picker-${name}-count`}>{t.selectedCount(selected.size)}</Text>
          </Flex>
          <Box style={{ border: "1px solid var(--gray-5)", borderRadius: "var(--radius-2)", background: "white", maxHeight: 420, overflowY: "auto" }} p="2">
            {offices.some((o) => o.children.length > 0) ? (
              <Flex direction="column" gap="1">
                {offices.map((o) => {
                  const below = o.children.map((c) => c.id);
                  const chosenBelow = below.filter((id) => selected.has(id) || fixedSet.has(id)).length;
                  return (
                    <Box key={o.id} py="1" style={{ borderBottom: "1px solid var(--gray-3)" }}>
                      <Flex gap="3" align="center" wrap="wrap">
                        {box(o)}
                        {o.children.length ? (
                          <Button
                            type="button"
                            size="1"
                            variant="ghost"
                            onClick={() => set([o.id, ...below], !(selected.has(o.id) && below.every((id) => selected.has(id) || fixedSet.has(id))))}
                            aria-label={`${t.selectAllBelow}：${o.name}`}
                          >
                            {t.selectAllBelow}
                          </Button>
                        ) : null}
                      </Flex>
                      {o.children.length ? (
                        <details style={{ marginLeft: 22, marginTop: 2 }} open={chosenBelow > 0 ? true : undefined}>
                          <summary style={{ cursor: "pointer" }}>
                            <Text size="1" color="gray">{t.countiesOf(o.name.replace(/委巡察办$|委巡视办$/, ""), o.children.length)}</Text>
                            {chosenBelow ? <Badge size="1" ml="2" variant="soft">{chosenBelow}</Badge> : null}
                          </summary>
                          <Grid columns={{ initial: "2", sm: "3", md: "4" }} gapX="3" gapY="1" mt="1">
                            {o.children.map(box)}
                          </Grid>
                        </details>
                      ) : null}
                    </Box>
                  );
                })}
              </Flex>
            ) : (
              <Grid columns={{ initial: "2", sm: "3", md: "4" }} gapX="3" gapY="1">
                {offices.map(box)}
              </Grid>
            )}
          </Box>
        </>
      )}
      {errors ? <Text className="field-error" id={errorId} role="alert">{errors.join(" ")}</Text> : null}
    </fieldset>
  );
}
