// The admin pages: users, departments, owners' unmet questions, guidance due for review, the monthly 315 report and
// guidance proposals. A page whose endpoint the server does not have says 暂不可用 in place.
import {el, show, showError, timeText, ZONE} from './dom.js';
import {label, MILESTONES, ROLES} from './words.js';

const $ = id => document.getElementById(id);

/**
 * Wires the admin pages to the API ({get, post, download}); {@code departments()} gives the departments as last read
 * and {@code reloadDepartments()} reads them again. Returns the function that shows one tab.
 */
export function adminPages({get, post, download, departments, reloadDepartments}) {
  const adminLoaders = {
    users: loadUsers, departments: loadDepartmentList, unmet: loadUnmet, stale: loadStale, report: loadReport,
    proposals: loadProposals,
  };

  function showAdminTab(tab) {
    const name = Object.hasOwn(adminLoaders, tab) ? tab : 'users';
    document.querySelectorAll('.admin-tabs a').forEach(a => a.classList.toggle('current', a.dataset.tab === name));
    document.querySelectorAll('#admin .tab').forEach(t => show(t, t.id === 'tab-' + name));
    showError($('admin-error'), null);
    adminLoaders[name]();
  }

  /**
   * Runs an admin read or write. A failed read says why in {@code target} (暂不可用 when the server has no such
   * endpoint); a failed write says so in {@code errorNode}, or above the tabs.
   */
  async function adminCall(work, target, errorNode) {
    try {
      return await work();
    } catch (e) {
      if (e.status === 401) {
        return undefined;
      }
      const text = target && e.status === 404 ? '暂不可用' : e.message;
      if (errorNode) {
        showError(errorNode, text);
      } else if (target) {
        target.replaceChildren(el(target.tagName === 'OL' || target.tagName === 'UL' ? 'li' : 'p',
            {class: 'muted unavailable'}, text));
      } else {
        showError($('admin-error'), text);
      }
      return undefined;
    }
  }

  async function loadUsers() {
    const list = $('user-list');
    $('new-departments').replaceChildren(...departments().filter(d => d.active !== false).map(d =>
        el('label', {class: 'check'}, el('input', {type: 'checkbox', value: d.name}), d.name)));
    const body = await adminCall(() => get('/api/v1/admin/users'), list);
    if (!body) {
      return;
    }
    const users = Array.isArray(body.users) ? body.users : [];
    $('assign-users').replaceChildren(...users.filter(u => u.active !== false)
        .map(u => el('option', {value: u.username})));
    list.replaceChildren(...users.map(user => el('li', {class: user.active === false ? 'inactive' : ''},
        el('b', {}, user.username), ' ', el('span', {class: 'badge'}, label(ROLES, user.role)), ' ',
        (Array.isArray(user.departments) ? user.departments : []).join('、') || '无部门',
        user.active === false ? el('span', {class: 'muted'}, '（已停用）')
            : el('button', {type: 'button', class: 'small', onclick: async () => {
              if (confirm('停用用户 ' + user.username + '？停用后他将不能登录。')) {
                await adminCall(() => post('/api/v1/admin/users/' + encodeURIComponent(user.username) + '/disable'));
                loadUsers();
              }
            }}, '停用'))));
  }

  $('user-form').addEventListener('submit', async event => {
    event.preventDefault();
    const departments = [...$('new-departments').querySelectorAll('input:checked')].map(i => i.value);
    const created = await adminCall(() => post('/api/v1/admin/users', {username: $('new-username').value.trim(),
      password: $('new-password').value, role: $('new-role').value, departments}));
    if (created !== undefined) {
      $('user-form').reset();
      loadUsers();
    }
  });

  async function loadDepartmentList() {
    const list = $('department-list');
    await reloadDepartments();
    list.replaceChildren(...departments().map(d => el('li', {class: d.active === false ? 'inactive' : ''},
        el('b', {}, d.name),
        d.active === false ? el('span', {class: 'muted'}, '（已停用）')
            : el('button', {type: 'button', class: 'small', onclick: async () => {
              if (confirm('停用部门 ' + d.name + '？新工单不会再分到这个部门。')) {
                await adminCall(() => post('/api/v1/admin/departments/' + encodeURIComponent(d.name) + '/disable'));
                loadDepartmentList();
              }
            }}, '停用'))));
  }

  $('department-form').addEventListener('submit', async event => {
    event.preventDefault();
    const name = $('new-department').value.trim();
    if (name && await adminCall(() => post('/api/v1/admin/departments', {name})) !== undefined) {
      $('new-department').value = '';
      loadDepartmentList();
    }
  });

  async function loadUnmet() {
    const list = $('unmet-list');
    const body = await adminCall(() => get('/api/v1/admin/unmet?days=' + encodeURIComponent($('unmet-days').value)),
        list);
    if (!body) {
      $('unmet-summary').textContent = '';
      return;
    }
    const groups = Array.isArray(body.groups) ? body.groups : [];
    $('unmet-summary').textContent = '共 ' + (Number(body.questions) || 0) + ' 个问题，归为 ' + groups.length + ' 组';
    list.replaceChildren(...groups.map(g => {
      const outcomes = g.outcomes || {};
      return el('li', {},
          el('p', {}, el('b', {}, g.representative || ''), ' ', el('span', {class: 'badge'}, (g.count || 0) + ' 次')),
          el('p', {class: 'muted'}, '没有答案 ' + (outcomes.no_answer || 0) + ' · 需要澄清 ' + (outcomes.clarify || 0)
              + ' · 不满意 ' + (outcomes.unsatisfied || 0) + ' · ' + timeText(g.firstSeen, false) + ' 至 '
              + timeText(g.lastSeen, false) + (g.nearestDocId ? ' · 最接近的指引：' + g.nearestDocId : '')),
          Array.isArray(g.examples) && g.examples.length > 0
              && el('ul', {class: 'examples'}, g.examples.map(x => el('li', {}, String(x)))));
    }));
  }
  $('unmet-days').addEventListener('change', loadUnmet);

  async function loadStale() {
    const list = $('stale-list');
    const body = await adminCall(() => get('/api/v1/admin/stale-guidance'), list);
    if (!body) {
      $('stale-summary').textContent = '';
      return;
    }
    const guidance = Array.isArray(body.guidance) ? body.guidance : [];
    $('stale-summary').textContent = '超过 ' + body.maxAgeMonths + ' 个月未复核的指引：' + guidance.length + ' 篇';
    list.replaceChildren(...guidance.map(g => el('li', {},
        el('a', {href: '/guidance/' + encodeURIComponent(g.id), target: '_blank', rel: 'noopener'}, g.title || g.id),
        el('span', {class: 'muted'}, ' 上次复核 ' + (g.reviewed || '无记录') + '，已 ' + g.ageMonths + ' 个月'))));
  }

  function currentMonth() {
    const parts = new Intl.DateTimeFormat('en-CA', {timeZone: ZONE, year: 'numeric', month: '2-digit'})
        .formatToParts(new Date());
    return parts.find(p => p.type === 'year').value + '-' + parts.find(p => p.type === 'month').value;
  }

  /** "8/10（80%）": a milestone's tally {met, due, share, pending}; share is met / due, absent when nothing was due. */
  function tallyText(tally) {
    if (!tally || typeof tally !== 'object' || !(tally.due > 0)) {
      return tally && tally.pending > 0 ? '未到期 ' + tally.pending : '—';
    }
    const share = typeof tally.share === 'number' ? '（' + Math.round(tally.share * 100) + '%）' : '';
    return tally.met + '/' + tally.due + share + (tally.pending > 0 ? '，未到期 ' + tally.pending : '');
  }

  function reportRow(r, name) {
    const breaches = Array.isArray(r.breaches) ? r.breaches : [];
    const ratings = r.ratings || {};
    const kinds = Number.isFinite(r.simple) ? '（简单 ' + r.simple + '，复杂 ' + r.complex + '）' : '';
    return el('tr', {class: name ? 'total' : ''},
        el('th', {scope: 'row'}, name || r.department || '—'),
        el('td', {}, String(r.tickets), el('span', {class: 'muted'}, kinds)),
        el('td', {}, tallyText(r.respond)),
        el('td', {}, tallyText(r.settle)),
        el('td', {}, tallyText(r.feedback)),
        el('td', {}, breaches.length === 0 ? '无' : breaches.map(b =>
            '#' + b.ticketId + ' ' + label(MILESTONES, b.milestone)).join('、')),
        el('td', {}, ratings.count ? Number(ratings.average).toFixed(1) + ' 分（' + ratings.count + ' 次）' : '—'));
  }

  async function loadReport() {
    const month = $('report-month').value || currentMonth();
    $('report-month').value = month;
    $('report-csv').href = '/api/v1/admin/report.csv?month=' + encodeURIComponent(month);
    $('report-csv').download = '315-report-' + month + '.csv';
    const target = $('report-table');
    const body = await adminCall(() => get('/api/v1/admin/report?month=' + encodeURIComponent(month)), target);
    if (!body) {
      return;
    }
    const rows = Array.isArray(body.departments) ? body.departments : [];
    if (rows.length === 0) {
      target.replaceChildren(el('p', {class: 'muted'}, month + ' 没有工单'));
      return;
    }
    target.replaceChildren(el('table', {},
        el('caption', {}, month + ' 各部门 315 履约情况（按时完成/到期，括号内为按时率）'),
        el('thead', {}, el('tr', {}, ['部门', '工单', '响应', '办结', '反馈', '超时', '评价']
            .map(h => el('th', {scope: 'col'}, h)))),
        el('tbody', {}, rows.map(r => reportRow(r, null)),
            body.total && typeof body.total === 'object' ? reportRow(body.total, '合计') : null)));
  }

  $('report-form').addEventListener('submit', event => {
    event.preventDefault();
    loadReport();
  });
  $('report-csv').addEventListener('click', async event => {
    event.preventDefault(); // the file needs the token, which a plain link would not send
    const month = $('report-month').value || currentMonth();
    await adminCall(() => download('/api/v1/admin/report.csv?month=' + encodeURIComponent(month),
        '315-report-' + month + '.csv'));
  });

  async function loadProposals() {
    const list = $('proposal-list');
    const body = await adminCall(() => get('/api/v1/admin/proposals'), list);
    if (!body) {
      return;
    }
    const proposals = Array.isArray(body.proposals) ? body.proposals : [];
    list.replaceChildren(...(proposals.length ? proposals.map(proposalItem)
        : [el('li', {class: 'muted'}, '暂无指引建议')]));
  }

  const PROPOSAL_STATES = {proposed: '待审核', published: '已发布', rejected: '已驳回'};

  /** One proposal; one still proposed offers a form to complete and publish it as guidance, or to reject it. */
  function proposalItem(p) {
    const pending = p.state === 'proposed';
    const field = (labelText, input) => el('label', {}, labelText, input);
    const area = (rows, value, placeholder) => {
      const node = el('textarea', {rows, placeholder});
      node.value = value || '';
      return node;
    };
    const docId = el('input', {required: true, pattern: '[a-z0-9]+(-[a-z0-9]+)*', placeholder: '例如 contract-late-payment'});
    const title = el('input', {required: true, value: p.title || ''});
    const category = el('input', {required: true, placeholder: '例如 执法与处罚'});
    const questions = area(3, p.title, '企业主的问法，每行一个，至少 3 个');
    const basis = area(2, '', '法律依据，每行一条，如《中华人民共和国行政处罚法》第三十三条');
    const effective = el('input', {type: 'date', required: true});
    const answer = area(4, p.answer, '简要回答');
    const detail = area(4, '', '详细说明');
    const steps = area(3, '', '办理指引（可选）');
    const error = el('p', {class: 'error', role: 'alert', hidden: true});
    const lines = node => node.value.split('\n').map(s => s.trim()).filter(Boolean);
    const form = el('form', {class: 'proposal-form', hidden: true},
        field('文档编号', docId), field('标题', title), field('类别', category), field('问法', questions),
        field('法律依据', basis), field('所引规定的施行日期', effective), field('简要回答', answer),
        field('详细说明', detail), field('办理指引', steps),
        el('div', {class: 'row'}, el('button', {type: 'submit', class: 'primary'}, '发布为指引')));
    form.addEventListener('submit', async event => {
      event.preventDefault();
      const guidance = {docId: docId.value.trim(), title: title.value.trim(), category: category.value.trim(),
        questions: lines(questions), basis: lines(basis), effective: effective.value, answer: answer.value.trim(),
        detail: detail.value.trim()};
      if (steps.value.trim()) {
        guidance.steps = steps.value.trim(); // optional: left out rather than sent empty
      }
      const done = await adminCall(() => post('/api/v1/admin/proposals/' + encodeURIComponent(p.id) + '/publish',
          guidance), null, error);
      if (done !== undefined) {
        loadProposals();
      }
    });
    const reason = area(2, '', '驳回理由（顾问会在工单记录中看到）');
    const rejectForm = el('form', {class: 'proposal-form', hidden: true}, field('驳回理由', reason),
        el('div', {class: 'row'}, el('button', {type: 'submit', class: 'danger'}, '确认驳回')));
    rejectForm.addEventListener('submit', async event => {
      event.preventDefault();
      const done = await adminCall(() => post('/api/v1/admin/proposals/' + encodeURIComponent(p.id) + '/reject',
          {reason: reason.value.trim()}), null, error);
      if (done !== undefined) {
        loadProposals();
      }
    });
    const toggle = (shown, other) => () => {
      other.hidden = true;
      shown.hidden = !shown.hidden;
    };
    return el('li', {class: 'proposal', 'data-id': p.id},
        el('p', {}, el('b', {}, p.title || ''), ' ', el('span', {class: 'badge'}, label(PROPOSAL_STATES, p.state)),
            el('span', {class: 'muted'}, ' 来自工单 #' + p.ticketId + '，' + (p.author || '') + '，'
                + timeText(p.createdAt, true)
                + (p.reviewedBy ? '；' + p.reviewedBy + ' 审核于 ' + timeText(p.reviewedAt, true) : ''))),
        el('p', {class: 'text'}, p.answer || ''),
        p.docId && el('p', {}, el('a', {href: '/guidance/' + encodeURIComponent(p.docId), target: '_blank',
          rel: 'noopener'}, '查看已发布的指引 ' + p.docId)),
        pending && el('div', {class: 'row'},
            el('button', {type: 'button', class: 'review', onclick: toggle(form, rejectForm)}, '审核并编辑'),
            el('button', {type: 'button', class: 'danger', onclick: toggle(rejectForm, form)}, '驳回')),
        error, pending && form, pending && rejectForm);
  }

  return showAdminTab;
}
