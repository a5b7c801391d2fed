/**
 * UI text for feedback (巡察反馈): the office hands the problems found to the inspected
 * unit, which must then submit its rectification plan. Simplified Chinese.
 */
export const feedbackFormLabel = {
  centralized: "集中反馈",
  dual: "双反馈",
  combined: "市县合并反馈",
} as const;

export const feedbackFormHint = {
  centralized: "向被巡察党组织领导班子集中反馈",
  dual: "向党组织和主要负责人分别反馈",
  combined: "向市（县）及所属单位合并反馈",
} as const;

export const problemSeverityLabel = {
  general: "一般",
  serious: "较重",
  grave: "严重",
} as const;

export const feedbackText = {
  title: "巡察反馈",
  pageTitle: (unit: string) => `${unit} · 巡察反馈`,
  backToEngagement: "返回巡察任务",
  toRectification: "进入整改落实",
  // The record
  record: "反馈情况",
  feedbackOn: "反馈日期",
  form: "反馈形式",
  attendees: "参加人员",
  attendeesHint: "如：巡视（巡察）组组长、副组长，巡视（巡察）办负责同志，被巡视（巡察）党组织领导班子成员",
  documentNoHint: "如：〔2026〕1号",
  documentNo: "反馈意见文号",
  mainRecipients: "主送",
  ccRecipients: "抄送",
  planDue: "整改方案报送期限",
  planDueHint: "默认为反馈日期后两个月，可修改。",
  unit: "被巡察单位",
  group: "巡察组",
  supervisingOrg: "组织机构",
  recordedAt: "登记时间",
  problems: "反馈问题",
  problemsCount: (n: number) => `共反馈问题 ${n} 个`,
  problemSeq: "问题编号",
  problemSeqValue: (n: number) => `第 ${n} 号`,
  problemTitle: "问题",
  category: "问题类别",
  severity: "严重程度",
  onTheSpot: "立行立改",
  none: "—",
  // States
  notYet: "本任务尚未反馈。",
  notYetReadOnly: (office: string) => `巡察反馈由组织或执行巡察的机构（${office}）登记。`,
  reportMissing: "反馈前须先登记巡察报告日期。",
  reportMissingHint: "请在巡察任务的“阶段进展”中登记报告日期后，再登记反馈。",
  reportMissingNoEdit: "巡察报告日期由组织巡察的机构登记；登记后方可反馈。",
  editStages: "登记阶段日期",
  reportedOn: (d: string) => `巡察报告日期：${d}`,
  noProblems: "本任务问题清单中没有待反馈的问题（问题底稿经组务会审议通过后列入问题清单）。",
  // The form
  formTitle: "登记巡察反馈",
  formNote: "反馈后，所勾选的问题对被巡察单位可见，单位整改联络员将收到待办提醒，须在期限内报送整改方案。",
  pickProblems: "反馈的问题（默认全部勾选）",
  selectAll: "全选",
  selectNone: "全不选",
  formPick: "请选择反馈形式",
  submit: "登记反馈",
  given: (n: number) => `巡察反馈已登记，反馈问题 ${n} 个。`,
  // Validation and refusals
  dateInvalid: "请填写有效日期",
  feedbackBeforeReport: (d: string) => `反馈日期不能早于巡察报告日期（${d}）`,
  feedbackBeforeReportShort: "反馈日期不能早于巡察报告日期",
  formRequired: "请选择反馈形式",
  attendeesRequired: "请填写参加人员（2 至 1000 字）",
  documentNoTooLong: "文号不超过 60 字",
  mainRequired: "请填写主送单位（2 至 200 字）",
  ccTooLong: "抄送不超过 500 字",
  planDueAfter: "整改方案报送期限须晚于反馈日期",
  problemsRequired: "请至少勾选一个反馈的问题",
  problemNotOnList: "所选问题不在本任务的问题清单中，或已反馈",
  already: "本任务已登记反馈，不能重复登记",
  auditAction: {
    "feedback.give": "登记巡察反馈",
    "document.generate": "生成文书",
  } as Record<string, string>,
  auditObject: {
    feedback: "巡察反馈",
    document: "文书",
  } as Record<string, string>,
};
