import { afterAll, describe, expect, it } from "vitest";
import type { Tx } from "../../app/lib/db.server";
import { specs, type ImportKind } from "../../app/lib/imports/kinds";
import { importsText } from "../../app/lib/messages/imports";
import { buildWorkbook, readSheetRows } from "../../app/lib/xlsx.server";
import { coverageWorkbook, leadsWorkbook, problemsWorkbook, rectificationWorkbook } from "../../app/models/exports.server";
import { getEngagement } from "../../app/models/engagements.server";
import {
  finishJob,
  getImportJob,
  myImportJobs,
  refusalMessage,
  reportProgress,
  runImport,
  startImportJob,
  writeImport,
  type ImportDb,
  type ImportRun,
} from "../../app/models/imports.server";
import { listLeads } from "../../app/models/leads.server";
import { getFeedback } from "../../app/models/rectification.server";
import { claimsFor, closeTestSql, DEMO, orgIdByRegion, ownerSql, sqlState } from "./support/db";
import { enterRequestContext, leaveRequestContext, ownerRolledBack } from "./support/fixtures";
import { fx } from "./support/matrix-harness";
import { ownerFeedback, ownerProblems, provinceTree, reported, type Account, type ProvinceTree } from "./support/findings";

/**
 * Excel imports and exports against the real schema and RLS.
 *
 * Imports run through runImport, the runner the upload starts, with its transactions as
 * savepoints of one owner transaction that is always rolled back (in the app each is its
 * own inUserContext transaction on the request pool): validation, the set-based write,
 * progress, the job's record and the audit row all go through the same code. Exports are
 * built by the same functions the resource routes call, in each user's RLS context, and
 * opened back with readSheetRows.
 */

afterAll(closeTestSql);

const say = (e: { row: number | null; column: string | null; message: string }) => importsText.error(e.row, e.column, e.message);

/** The runner's transactions as savepoints of the test's transaction (rolled back with it). */
const savepoints = (tx: Tx): ImportDb => ({
  transaction: <T>(fn: (sp: Tx) => Promise<T>) => tx.savepoint((sp) => fn(sp as unknown as Tx)) as Promise<T>,
});

/** A file in the template's layout (title, note, headers with *), with these data rows. */
async function fileOf(kind: ImportKind, rows: (string | number)[][]): Promise<Uint8Array> {
  const columns = specs[kind].columns;
  return new Uint8Array(
    await buildWorkbook([
      {
        name: "填写表",
        title: "导入测试",
        subtitle: "带 * 的列为必填",
        columns: columns.map((c, i) => ({ header: c.required ? `${c.header}*` : c.header, value: (r: (string | number)[]) => r[i] ?? null })),
        rows,
      },
    ]),
  );
}

/** Starts a job as `who` (the upload's step) and runs the import to its end. */
async function importAs(tx: Tx, who: Account | { claims: Account["claims"] }, run: { kind: ImportKind; orgId: number; roundId?: number | null }, bytes: Uint8Array) {
  await enterRequestContext(tx, who.claims);
  const jobId = await startImportJob(tx, run.kind, `测试${run.kind}.xlsx`, run.roundId ?? null);
  if (jobId === "running") throw new Error("a job is running");
  const full: ImportRun = {
    jobId, kind: run.kind, orgId: run.orgId, roundId: run.roundId ?? null, userId: who.claims.sub,
    filename: `测试${run.kind}.xlsx`, requestId: `import-test-${jobId}`,
  };
  const outcome = await runImport(savepoints(tx), full, bytes);
  const job = await getImportJob(tx, jobId);
  return { jobId, outcome, job: job! };
}

async function asOwner<T>(tx: Tx, fn: () => Promise<T>): Promise<T> {
  await leaveRequestContext(tx);
  return fn();
}

/** The test province, with the city's engagement of 测试市财政局 fed back (problems 1–2 of 3) on 2026-05-10. */
async function ledgerWorld(tx: Tx): Promise<ProvinceTree & { engagementId: number; problems: number[] }> {
  const tree = await provinceTree(tx);
  const e = await fx.engagement(tx, tree.round.city, tree.group.city, tree.unit.city, "regular", "2026-03-05");
  await reported(tx, e.id, "2026-04-20", "2026-04-25");
  const problems = await ownerProblems(tx, e.id, [{ n: 3 }]);
  await ownerFeedback(tx, e.id, problems.slice(0, 2), "2026-05-10");
  return { ...tree, engagementId: e.id, problems };
}

const itemCount = (tx: Tx, engagementId: number) =>
  asOwner(tx, async () => (await tx<{ n: number }[]>`select count(*)::int as n from public.rectification_items where engagement_id = ${engagementId}`)[0].n);

describe("the ledger import (问题清单及整改台账)", () => {
  it("a file with bad rows writes nothing and names every error by row and column", async () => {
    await ownerRolledBack(async (tx) => {
      const w = await ledgerWorld(tx);
      const good = ["测试市财政局", 1, "修订公务接待制度并清退超标准接待费用", "分管副局长", "办公室", "张某", "限期整改", "2026-08-31"];
      const bytes = await fileOf("ledger", [
        good,
        ["测试县财政局", 1, "建立台账，逐项销号", "局长", "财务科", "李某", "限期整改", "2026-08-31"],
        ["测试市财政局", 2, "完善内控制度", "局长", "财务科", "李某", "限期整改", "2026年13月1日"],
        ["测试市财政局", 2, "开展专项检查", "局长", "财务科", "", "立行立改", "2026-06-30"],
        ["测试市财政局", 1, "修订公务接待制度并清退超标准接待费用", "分管副局长", "办公室", "张某", "限期整改", "2026-08-31"],
        ["测试市财政局", 3, "整改未反馈的问题", "局长", "财务科", "李某", "长期坚持", ""],
        ["测试市财政局", 2, "整改时限早于反馈", "局长", "财务科", "李某", "限期整改", "2026-05-01"],
      ]);
      const { outcome, job } = await importAs(tx, w.director.city, { kind: "ledger", orgId: w.org.city, roundId: w.round.city }, bytes);
      const expected = [
        "第5行「被巡察单位」：未知单位：不是所选轮次中本机构组织巡察且已反馈的被巡察单位",
        "第6行「整改时限」：日期格式应为 2026-03-31",
        "第7行「责任人」：必填",
        "第8行「整改措施」：与第4行重复",
        "第9行「问题序号」：该单位没有此序号的已反馈问题",
        "第10行「整改时限」：整改时限不能早于反馈日期（2026-05-10）",
      ];
      expect(outcome.ok).toBe(false);
      expect(job.status).toBe("failed");
      expect(job.errors.map(say)).toEqual(expected);
      expect(job.errorCount).toBe(6);
      expect(job.written).toBe(0);
      expect(await itemCount(tx, w.engagementId)).toBe(0);
      const [audit] = await tx<{ n: number }[]>`select count(*)::int as n from public.audit_log where request_id = ${`import-test-${job.id}`}`;
      expect(audit.n).toBe(0);
    });
  });

  it("a good file writes every item in one go, audited once, and the job says so", async () => {
    await ownerRolledBack(async (tx) => {
      const w = await ledgerWorld(tx);
      const bytes = await fileOf("ledger", [
        ["测试市财政局", 1, "修订公务接待制度", "分管副局长", "办公室", "张某", "限期整改", "2026-08-31"],
        ["测试市财政局", "第2号", "清退违规发放的津补贴", "局长", "财务科", "李某", "立行立改", "2026/6/30"],
        ["测试市财政局", 2, "建立津补贴发放长效机制", "局长", "人事科", "王某", "长期坚持", ""],
      ]);
      const { outcome, job } = await importAs(tx, w.director.city, { kind: "ledger", orgId: w.org.city, roundId: w.round.city }, bytes);
      expect(outcome).toEqual({ ok: true, written: 3 });
      expect([job.status, job.written, job.totalRows, job.doneRows, job.errors]).toEqual(["done", 3, 3, 3, []]);
      const items = await asOwner(tx, () => tx<{ problemId: number; measures: string; person: string; kind: string; deadline: string | null; status: string }[]>`
        select problem_id::int as "problemId", measures, responsible_person as person, kind::text as kind, deadline::text as deadline, status::text as status
          from public.rectification_items where engagement_id = ${w.engagementId} order by id`);
      expect(items).toEqual([
        { problemId: w.problems[0], measures: "修订公务接待制度", person: "张某", kind: "deadline", deadline: "2026-08-31", status: "open" },
        { problemId: w.problems[1], measures: "清退违规发放的津补贴", person: "李某", kind: "immediate", deadline: "2026-06-30", status: "open" },
        { problemId: w.problems[1], measures: "建立津补贴发放长效机制", person: "王某", kind: "long_term", deadline: null, status: "open" },
      ]);
      const audit = await tx<{ action: string; objectId: string; orgId: number; userId: string }[]>`
        select action, object_id as "objectId", org_id as "orgId", user_id::text as "userId" from public.audit_log
         where request_id = ${`import-test-${job.id}`}`;
      expect(audit).toEqual([{ action: "import.ledger", objectId: String(job.id), orgId: w.org.city, userId: w.director.city.userId }]);
      // The same file again: every row is now a duplicate of an item on the ledger.
      const again = await importAs(tx, w.director.city, { kind: "ledger", orgId: w.org.city, roundId: w.round.city }, bytes);
      expect(again.job.errors.map(say)).toEqual([
        "第4行「整改措施」：该问题已有相同整改措施的整改事项",
        "第5行「整改措施」：该问题已有相同整改措施的整改事项",
        "第6行「整改措施」：该问题已有相同整改措施的整改事项",
      ]);
      expect(await itemCount(tx, w.engagementId)).toBe(3);
    });
  });

  it("a county office importing into a round not its own writes nothing; forcing the write past validation is refused by RLS", async () => {
    await ownerRolledBack(async (tx) => {
      const w = await ledgerWorld(tx);
      const bytes = await fileOf("ledger", [["测试市财政局", 1, "修订公务接待制度", "分管副局长", "办公室", "张某", "限期整改", "2026-08-31"]]);
      const { job } = await importAs(tx, w.director.county, { kind: "ledger", orgId: w.org.county, roundId: w.round.city }, bytes);
      expect(job.status).toBe("failed");
      expect(job.errors.map(say)).toEqual(["所选轮次不是本机构的轮次，不能导入。"]);
      // Even claiming the city's org, the runner reads the round under the county's RLS and finds nothing of it.
      const claimed = await importAs(tx, w.director.county, { kind: "ledger", orgId: w.org.city, roundId: w.round.city }, bytes);
      expect(claimed.job.errors.map(say)).toEqual(["所选轮次不是本机构的轮次，不能导入。"]);
      // Past validation, the database itself refuses the rows (and the runner's words for it).
      await enterRequestContext(tx, w.director.county.claims);
      const forced = { ok: true as const, total: 1, kind: "ledger" as const, rows: [{
        unitName: "测试市财政局", problemSeq: 1, problemId: w.problems[0], measures: "越权写入的整改事项", responsibleLeader: "甲",
        responsibleDepartment: "乙", responsiblePerson: "丙", kind: "deadline" as const, deadline: "2026-08-31",
      }] };
      let refused: { code?: string } = {};
      expect(await sqlState(tx, (sp) => writeImport(sp, w.org.county, forced).catch((e) => { refused = e; throw e; }))).toBe("42501");
      expect(refusalMessage(refused)).toBe("数据库拒绝写入：您无权向该范围导入数据。未写入任何数据。");
      expect(await itemCount(tx, w.engagementId)).toBe(0);
    });
  });

  it("the demo's county staff (道里) cannot import into a round of 哈尔滨", async () => {
    const city = await orgIdByRegion("230100");
    const [round] = await ownerSql()<{ id: number; engagementId: number; unitName: string }[]>`
      select r.id::int as id, e.id::int as "engagementId", e.unit_name as "unitName"
        from public.rounds r join public.engagements e on e.round_id = r.id join public.feedbacks f on f.engagement_id = e.id
       where r.org_id = ${city} and e.supervising_org_id = ${city}
         and exists (select 1 from public.problems p where p.engagement_id = e.id and p.seq = 1 and p.feedback_id is not null)
       order by r.id limit 1`;
    expect(round).toBeDefined();
    const daoli = { claims: await claimsFor(DEMO.countyDaoli) };
    await ownerRolledBack(async (tx) => {
      const before = await itemCount(tx, round.engagementId);
      const bytes = await fileOf("ledger", [[round.unitName, 1, "道里越权导入的整改措施", "甲", "乙", "丙", "长期坚持", ""]]);
      const { job } = await importAs(tx, daoli, { kind: "ledger", orgId: await orgIdByRegion("230102"), roundId: round.id }, bytes);
      expect([job.status, job.written]).toEqual(["failed", 0]);
      expect(job.errors.map(say)).toEqual(["所选轮次不是本机构的轮次，不能导入。"]);
      expect(await itemCount(tx, round.engagementId)).toBe(before);
    });
  });
});

describe("the unit registry and cadre pool imports", () => {
  it(`a good file of 10,000 units imports completely, parents in the file included, with progress to the end`, async () => {
    await ownerRolledBack(async (tx) => {
      const w = await provinceTree(tx);
      const rows: string[][] = [];
      for (let t = 0; t < 100; t++) {
        rows.push([`测试镇${t}`, "乡镇（街道）", "县管干部", ""]);
        for (let v = 0; v < 99; v++) rows.push([`测试镇${t}测试村${v}`, "村（社区）", "县管干部", `测试镇${t}`]);
      }
      expect(rows).toHaveLength(10_000);
      const before = await asOwner(tx, async () => (await tx<{ n: number }[]>`select count(*)::int as n from public.units where org_id = ${w.org.county}`)[0].n);
      const { outcome, job } = await importAs(tx, w.director.county, { kind: "unit", orgId: w.org.county }, await fileOf("unit", rows));
      expect(outcome).toEqual({ ok: true, written: 10_000 });
      expect([job.status, job.totalRows, job.doneRows, job.written]).toEqual(["done", 10_000, 10_000, 10_000]);
      const after = await asOwner(tx, () => tx<{ n: number; villages: number; linked: number; created: number }[]>`
        select count(*)::int as n,
               count(*) filter (where u.category = 'village')::int as villages,
               count(*) filter (where u.category = 'village' and p.name = split_part(u.name, '测试村', 1))::int as linked,
               count(*) filter (where u.created_by = ${w.director.county.userId})::int as created
          from public.units u left join public.units p on p.id = u.parent_unit_id
         where u.org_id = ${w.org.county}`);
      expect(after[0]).toEqual({ n: before + 10_000, villages: 9_900, linked: 9_900, created: 10_000 });
    });
  }, 180_000);

  it("a unit file with a name already taken or an unknown parent writes nothing", async () => {
    await ownerRolledBack(async (tx) => {
      const w = await provinceTree(tx);
      const bytes = await fileOf("unit", [
        ["测试县新设局", "县直单位", "县管干部", ""],
        ["测试县财政局", "县直单位", "县管干部", ""],
        ["测试县某村", "村（社区）", "县管干部", "不存在的镇"],
      ]);
      const { job } = await importAs(tx, w.director.county, { kind: "unit", orgId: w.org.county }, bytes);
      expect(job.errors.map(say)).toEqual([
        "第5行「单位名称」：本机构已有同名的巡察对象",
        "第6行「上级单位」：上级单位须为本机构在册的巡察对象，或本文件中的另一行",
      ]);
      const [{ n }] = await asOwner(tx, () => tx<{ n: number }[]>`select count(*)::int as n from public.units where name = '测试县新设局'`);
      expect(n).toBe(0);
    });
  });

  it("units go only to the office's own org: another org's, claimed, is refused by RLS", async () => {
    await ownerRolledBack(async (tx) => {
      const w = await provinceTree(tx);
      await enterRequestContext(tx, w.director.county.claims);
      const plan = { ok: true as const, total: 1, kind: "unit" as const, plan: { waves: [[{ name: "越权新增的单位", category: "city_dept" as const, headLevel: "city_managed" as const, parent: null }]], parents: [] } };
      expect(await sqlState(tx, (sp) => writeImport(sp, w.org.city, plan))).toBe("42501");
      expect(await sqlState(tx, (sp) => writeImport(sp, w.org.county, plan))).toBeNull();
    });
  });

  it("cadres: lists and dates read into the pool; a cadre the pool has already is refused", async () => {
    await ownerRolledBack(async (tx) => {
      const w = await provinceTree(tx);
      const header = [["王某某", "测试市审计局", "四级调研员", "审计、财务", "人才库、组长库", "2019-04-01", "是"]];
      const first = await importAs(tx, w.director.city, { kind: "cadre", orgId: w.org.city }, await fileOf("cadre", [
        ...header,
        ["李某某", "测试市财政局", "", "", "专家库", "", "否"],
      ]));
      expect(first.outcome).toEqual({ ok: true, written: 2 });
      const cadres = await asOwner(tx, () => tx<{ name: string; pools: string[]; specialties: string[]; firstPostedOn: string | null; available: boolean }[]>`
        select name, pools::text[] as pools, specialties, first_posted_on::text as "firstPostedOn", available
          from public.cadres where org_id = ${w.org.city} order by name`);
      expect(cadres).toEqual([
        { name: "李某某", pools: ["expert"], specialties: [], firstPostedOn: null, available: false },
        { name: "王某某", pools: ["leader", "talent"], specialties: ["审计", "财务"], firstPostedOn: "2019-04-01", available: true },
      ]);
      const again = await importAs(tx, w.director.city, { kind: "cadre", orgId: w.org.city }, await fileOf("cadre", header));
      expect(again.job.errors.map(say)).toEqual(["第4行「姓名」：本机构干部库中已有同名且工作单位相同的干部"]);
    });
  });

  it("a file that is not a workbook fails the job with a message, and writes nothing", async () => {
    await ownerRolledBack(async (tx) => {
      const w = await provinceTree(tx);
      const { job } = await importAs(tx, w.director.county, { kind: "unit", orgId: w.org.county }, new TextEncoder().encode("PK not a zip"));
      expect(job.status).toBe("failed");
      expect(job.errors.map(say)).toEqual([importsText.v.unreadable]);
    });
  });
});

describe("import jobs are their user's own", () => {
  it("another user neither reads, lists, moves nor finishes a job; nobody reads the table itself", async () => {
    await ownerRolledBack(async (tx) => {
      const w = await provinceTree(tx);
      await enterRequestContext(tx, w.director.city.claims);
      const id = await startImportJob(tx, "unit", "单位.xlsx", null);
      if (id === "running") throw new Error("unexpected");
      expect((await getImportJob(tx, id))?.status).toBe("validating");
      expect((await myImportJobs(tx)).map((j) => j.id)).toEqual([id]);
      // One job at a time per user.
      expect(await startImportJob(tx, "cadre", "干部.xlsx", null)).toBe("running");

      for (const other of [w.director.county, w.director.province]) {
        await enterRequestContext(tx, other.claims);
        expect(await getImportJob(tx, id)).toBeUndefined();
        expect(await myImportJobs(tx)).toEqual([]);
        expect(await sqlState(tx, (sp) => reportProgress(sp, id, "writing", 10, 5))).toBe("42501");
        expect(await sqlState(tx, (sp) => finishJob(sp, id, { ok: true, written: 10 }))).toBe("42501");
        expect(await sqlState(tx, (sp) => sp`select * from private.import_jobs`)).toBe("42501");
        expect(await sqlState(tx, (sp) => sp`update private.import_jobs set status = 'done' where id = ${id}`)).toBe("42501");
      }

      await enterRequestContext(tx, w.director.city.claims);
      await reportProgress(tx, id, "writing", 10, 5);
      expect(await sqlState(tx, (sp) => sp`select * from private.import_jobs`)).toBe("42501");
      await finishJob(tx, id, { ok: false, errors: [{ row: 4, column: "单位名称", message: "必填" }], errorCount: 1 });
      const job = await getImportJob(tx, id);
      expect([job?.status, job?.doneRows, job?.totalRows, job?.errors]).toEqual(["failed", 5, 10, [{ row: 4, column: "单位名称", message: "必填" }]]);
      // Finished is final.
      expect(await sqlState(tx, (sp) => finishJob(sp, id, { ok: true, written: 10 }))).toBe("42501");
      // A new job may start now.
      expect(typeof (await startImportJob(tx, "cadre", "干部.xlsx", null))).toBe("number");
    });
  });

  it("no session, no job: anon cannot call the functions, a revoked session cannot start one", async () => {
    await ownerRolledBack(async (tx) => {
      await tx`select set_config('role', 'anon', true)`;
      expect(await sqlState(tx, (sp) => sp`select public.start_import_job('unit', 'x.xlsx', null)`)).toBe("42501");
      expect(await sqlState(tx, (sp) => sp`select * from public.my_import_jobs(20)`)).toBe("42501");
      await leaveRequestContext(tx);
      const w = await provinceTree(tx);
      await tx`delete from auth.sessions where id = ${w.director.city.claims.session_id}`;
      await enterRequestContext(tx, w.director.city.claims);
      expect(await sqlState(tx, (sp) => startImportJob(sp, "unit", "x.xlsx", null))).toBe("42501");
    });
  });
});

// ---------------------------------------------------------------- exports

const rowsOf = async (bytes: Buffer, sheet = 0) => (await readSheetRows(bytes, sheet)).slice(3).map((r) => r.cells);

describe("exports contain exactly the rows in the user's scope", () => {
  it("coverage: a county's export has its own office only, the city's has its counties; another county's is not there", async () => {
    const [daoli, nangang, city] = [await orgIdByRegion("230102"), await orgIdByRegion("230103"), await orgIdByRegion("230100")];
    const orgs = async (email: string, orgId: number, focusId = orgId) =>
      ownerRolledBack(async (tx) => {
        await enterRequestContext(tx, await claimsFor(email));
        const file = await coverageWorkbook(tx, { activeOrgId: orgId, focusId, year: 2026, orgName: "测试" });
        return file ? (await rowsOf(file.bytes)).map((r) => r[1].trim()) : null;
      });
    expect(await orgs(DEMO.countyDaoli, daoli)).toEqual(["道里区委巡察办"]);
    expect(await orgs(DEMO.countyDaoli, daoli, nangang)).toBeNull();
    const cityRows = await orgs(DEMO.city, city);
    const [{ n }] = await ownerSql()<{ n: number }[]>`select count(*)::int as n from public.org_closure where ancestor_id = ${city}`;
    expect(cityRows).toHaveLength(n);
    expect(cityRows).toEqual(expect.arrayContaining(["哈尔滨市委巡察办", "道里区委巡察办", "南岗区委巡察办"]));
    expect(cityRows).not.toContain("齐齐哈尔市委巡察办");
    // The file's header: title, the scope and time, and 序号 first.
    const bytes = (await ownerRolledBack(async (tx) => {
      await enterRequestContext(tx, await claimsFor(DEMO.countyDaoli));
      return coverageWorkbook(tx, { activeOrgId: daoli, focusId: daoli, year: 2026, orgName: "道里区委巡察办" });
    }))!.bytes;
    const head = await readSheetRows(bytes);
    expect(head[0].cells[0]).toBe("道里区委巡察办 全覆盖进度");
    expect(head[1].cells[0]).toMatch(/^范围：道里区委巡察办及下级机构.*导出时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2}（北京时间）$/);
    expect(head[2].cells[0]).toBe("序号");
  });

  it("an engagement's problem list: every problem of it for its office; another county gets no engagement to export", async () => {
    const daoli = await orgIdByRegion("230102");
    const [e] = await ownerSql()<{ id: number; n: number }[]>`
      select e.id::int as id, count(p.id)::int as n from public.engagements e join public.problems p on p.engagement_id = e.id
       where e.executing_org_id = ${daoli} and e.supervising_org_id = ${daoli} and e.mode = 'regular'
       group by e.id order by e.id limit 1`;
    expect(e?.n).toBeGreaterThan(0);
    const seqs = await ownerSql()<{ seq: number }[]>`select seq from public.problems where engagement_id = ${e.id} order by seq`;
    await ownerRolledBack(async (tx) => {
      await enterRequestContext(tx, await claimsFor(DEMO.countyDaoli));
      const engagement = (await getEngagement(tx, e.id))!;
      const file = await problemsWorkbook(tx, engagement, "道里区委巡察办");
      const rows = await rowsOf(file.bytes);
      expect(rows.map((r) => Number(r[1])).sort((a, b) => a - b)).toEqual(seqs.map((s) => s.seq));
      expect(rows.map((r) => r[0])).toEqual(rows.map((_, i) => String(i + 1)));
      await enterRequestContext(tx, await claimsFor(DEMO.countyNangang));
      expect(await getEngagement(tx, e.id)).toBeUndefined();
      // Even built for the engagement directly, 南岗's RLS context reads none of its problems.
      expect(await rowsOf((await problemsWorkbook(tx, engagement, "南岗区委巡察办")).bytes)).toEqual([]);
    });
  });

  it("the four lists: a unit's contact exports his unit's items; another unit's rectification is not his to export", async () => {
    const [mine] = await ownerSql()<{ engagementId: number; items: number; problems: number }[]>`
      select f.engagement_id::int as "engagementId",
             (select count(*)::int from public.rectification_items i where i.engagement_id = f.engagement_id) as items,
             (select count(*)::int from public.problems p where p.feedback_id = f.id) as problems
        from public.feedbacks f join public.memberships m on m.unit_id = f.unit_id join auth.users u on u.id = m.user_id
       where u.email = ${DEMO.unitContact} order by f.id limit 1`;
    const [other] = await ownerSql()<{ engagementId: number }[]>`
      select f.engagement_id::int as "engagementId" from public.feedbacks f
       where f.unit_id <> (select m.unit_id from public.memberships m join auth.users u on u.id = m.user_id where u.email = ${DEMO.unitContact})
       order by f.id limit 1`;
    expect(mine?.items).toBeGreaterThan(0);
    await ownerRolledBack(async (tx) => {
      await enterRequestContext(tx, await claimsFor(DEMO.unitContact));
      const feedback = (await getFeedback(tx, mine.engagementId))!;
      const file = await rectificationWorkbook(tx, feedback, feedback.unitName);
      expect((await rowsOf(file.bytes, 0)).length).toBe(mine.problems);
      for (const sheet of [1, 2, 3]) expect((await rowsOf(file.bytes, sheet)).length).toBe(mine.items);
      const duty = await readSheetRows(file.bytes, 2);
      expect(duty[2].cells).toEqual(["序号", "编号", "问题", "整改措施", "责任领导", "责任部门", "责任人"]);
      expect(await getFeedback(tx, other.engagementId)).toBeUndefined();
    });
  });

  it("the leads register: the leads list_leads gives, each audited as read, and never the person concerned", async () => {
    const city = await orgIdByRegion("230100");
    await ownerRolledBack(async (tx) => {
      await enterRequestContext(tx, await claimsFor(DEMO.city));
      const leads = await listLeads(tx, null, "leads-export-test");
      expect(leads.length).toBeGreaterThan(0);
      const file = await leadsWorkbook(leads, { orgName: "哈尔滨市委巡察办", partner: false });
      const all = await readSheetRows(file.bytes);
      const header = all[2].cells;
      expect(header).toEqual(["序号", "线索编号", "被巡察单位", "线索来源", "线索摘要", "办理状态", "接收单位", "移交日期", "移交文号", "党纪政务处分（人）", "移送司法机关（人）"]);
      for (const word of ["被反映人", "姓名", "职务", "举报人", "person"]) expect(header.join("|")).not.toContain(word);
      const rows = all.slice(3).map((r) => r.cells);
      expect(rows).toHaveLength(leads.length);
      await leaveRequestContext(tx);
      const persons = await tx<{ name: string; post: string | null }[]>`
        select person_name as name, person_post as post from private.lead_persons where lead_id = any (${leads.map((l) => l.id)}::bigint[])`;
      const reporters = await tx<{ name: string }[]>`
        select r.reporter_name as name from private.petition_reporters r join public.petitions p on p.id = r.petition_id
         where r.reporter_name is not null and p.executing_org_id = ${city}`;
      expect(persons.length).toBe(leads.length);
      const cells = rows.flat();
      // No cell is a person concerned's name or post, nor a reporter's name.
      for (const p of persons) {
        expect(cells).not.toContain(p.name);
        if (p.post) expect(cells).not.toContain(p.post);
      }
      for (const r of reporters) expect(cells).not.toContain(r.name);
      const [{ n }] = await tx<{ n: number }[]>`
        select count(*)::int as n from public.audit_log where request_id = 'leads-export-test' and action = 'lead.read'`;
      expect(n).toBe(leads.length);
    });
  });
});
