/**
 * One-line summaries of EXPLAIN (ANALYZE, FORMAT JSON) output, so a regression in
 * the benchmark can be explained from its log alone.
 */

interface PlanNode {
  "Node Type": string;
  "Join Type"?: string;
  "Index Name"?: string;
  "Scan Direction"?: string;
  "Relation Name"?: string;
  "Parent Relationship"?: string;
  "Subplan Name"?: string;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Rows Removed by Filter"?: number;
  "Heap Fetches"?: number;
  "Sort Method"?: string;
  Plans?: PlanNode[];
}

export interface ExplainRoot {
  Plan: PlanNode;
  "Planning Time": number;
  "Execution Time": number;
}

function describe(node: PlanNode): string {
  let s = node["Node Type"];
  if (node["Join Type"] && node["Join Type"] !== "Inner") s += ` ${node["Join Type"]}`;
  if (node["Scan Direction"] === "Backward") s += " Backward";
  if (node["Index Name"]) s += ` ${node["Index Name"]}`;
  else if (node["Relation Name"]) s += ` ${node["Relation Name"]}`;
  const loops = node["Actual Loops"] ?? 1;
  if (loops === 0) return `${s} (never run)`;
  const extras: string[] = [`rows=${Math.round((node["Actual Rows"] ?? 0) * loops)}`];
  if (loops > 1) extras.push(`loops=${loops}`);
  if (node["Rows Removed by Filter"]) extras.push(`filtered=${Math.round(node["Rows Removed by Filter"] * loops)}`);
  if (node["Heap Fetches"] !== undefined) extras.push(`heap=${node["Heap Fetches"]}`);
  if (node["Sort Method"]) extras.push(node["Sort Method"]);
  return `${s} (${extras.join(" ")})`;
}

/**
 * "Limit > Nested Loop [Index Scan units_x (rows=20) ; Index Scan orgs_pkey (rows=20 loops=20)]
 *  | 4 initplans (2 run) | plan 0.20 ms, exec 0.11 ms"
 * Initplans (the policy helpers) are counted, not drawn; Result/Gather plumbing is skipped.
 */
export function summarizePlan(root: ExplainRoot): string {
  let initplans = 0;
  let initplansRun = 0;
  const countInit = (node: PlanNode) => {
    if (node["Parent Relationship"] === "InitPlan") {
      initplans += 1;
      if ((node["Actual Loops"] ?? 0) > 0) initplansRun += 1;
      return;
    }
    for (const child of node.Plans ?? []) countInit(child);
  };
  countInit(root.Plan);
  const draw = (node: PlanNode): string => {
    const children = (node.Plans ?? []).filter((c) => c["Parent Relationship"] !== "InitPlan");
    const skip = /^(Result|Gather)$/.test(node["Node Type"]) && children.length === 1;
    if (skip) return draw(children[0]);
    const here = describe(node);
    if (children.length === 0) return here;
    if (children.length === 1) return `${here} > ${draw(children[0])}`;
    return `${here} [${children.map(draw).join(" ; ")}]`;
  };
  const init = initplans ? ` | ${initplans} initplan${initplans > 1 ? "s" : ""} (${initplansRun} run)` : "";
  return `${draw(root.Plan)}${init} | plan ${root["Planning Time"].toFixed(2)} ms, exec ${root["Execution Time"].toFixed(2)} ms`;
}
