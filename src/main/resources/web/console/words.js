// The console's words for the service's codes, in one place: what advisers read instead of wire names.

export const MILESTONES = {respond: '响应', settle: '办结', feedback: '反馈'};
export const STATUSES = {open: '未认领', claimed: '已认领', resolved: '已办结'};
export const CHANNELS = {web: '网页聊天', wecom: '企业微信', wecom_kf: '微信客服', dingtalk: '钉钉', feishu: '飞书'};
export const COMPLEXITY = {simple: '简单事项', complex: '复杂事项'};
export const REASONS = {asked_for_person: '企业主要求人工', complex_case: '案情复杂'};
export const AUTHORS = {owner: '企业主', bot: '机器人', adviser: '顾问'};
export const ROLES = {adviser: '顾问', admin: '管理员'};
export const DELIVERY = {pending: '发送中', sent: '已送达'};
/** An owner's file that cannot be downloaded (yet). */
export const FILE_STATES = {
  pending: '正在从平台获取', expired: '平台上已过期，无法获取', too_large: '文件太大，未保存', refused: '未保存',
  failed: '获取失败', missing: '无法下载',
};
/** A ticket's history actions. */
export const ACTIONS = {
  opened: '创建工单', joined: '企业主留言', contact_given: '企业主留下联系方式', claimed: '认领', assigned: '指派',
  transferred: '转部门', replied: '回复', noted: '内部备注', feedback: '反馈', phone_call: '电话沟通',
  complexity: '调整类型', resolved: '办结', reopened: '重新打开', rated: '企业主评价', breached: '超时',
  proposed_guidance: '建议写成指引',
};
/** The keys of a history entry's detail. */
export const DETAILS = {
  reason: '原因', from: '从', to: '到', note: '说明', rating: '评分', milestone: '时限', title: '标题',
  complexity: '类型', department: '部门',
};

/** The word for a code, or the code itself when there is none yet. */
export function label(map, code) {
  return map[code] || (code ? String(code) : '—');
}
