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

  /** Runs an admin read or write; a missing endpoint says 暂不可用 in place instead of breaking the page. */
  async function adminCall(work, target) {
    try {
      return await work();
    } catch (e) {
      if (e.status === 401) {
        return undefined;
      }
      const text = e.status === 404 ? '暂不可用' : e.message;
      if (target) {
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

  function percent(part, whole) {
    return whole > 0 ? Math.round(part * 100 / whole) + '%' : '—';
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
        el('thead', {}, el('tr', {}, ['部门', '工单', '按时响应', '按时办结', '按时反馈', '超时', '评价']
            .map(h => el('th', {}, h)))),
        el('tbody', {}, rows.map(r => {
          const breaches = Array.isArray(r.breaches) ? r.breaches : [];
          const ratings = r.ratings || {};
          return el('tr', {},
              el('td', {}, r.department),
              el('td', {}, String(r.tickets)),
              el('td', {}, r.respondMet + '（' + percent(r.respondMet, r.tickets) + '）'),
              el('td', {}, String(r.settleMet)),
              el('td', {}, String(r.feedbackMet)),
              el('td', {}, breaches.length === 0 ? '无' : breaches.map(b =>
                  '#' + b.ticketId + ' ' + label(MILESTONES, b.milestone)).join('、')),
              el('td', {}, ratings.count ? Number(ratings.average).toFixed(1) + ' 分（' + ratings.count + ' 次）' : '—'));
        }))));
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
        : [el('li', {class: 'muted'}, '暂无待审的指引建议')]));
  }

  function proposalItem(p) {
    const pending = !p.state || p.state === 'pending' || p.state === 'open';
    const field = (labelText, input) => el('label', {}, labelText, input);
    const docId = el('input', {required: true, pattern: '[a-z0-9\\-]{1,100}', placeholder: 'penalty-first-offence'});
    const title = el('input', {required: true, value: p.title || ''});
    const category = el('input', {placeholder: '例如 执法与处罚'});
    const questions = el('textarea', {rows: 3, placeholder: '企业主常见问法，每行一个（至少 3 个）'});
    questions.value = p.title || '';
    const basis = el('textarea', {rows: 2, placeholder: '法律依据，每行一条，如《中华人民共和国行政处罚法》第三十三条'});
    const answer = el('textarea', {rows: 4, required: true});
    answer.value = p.answer || '';
    const detail = el('textarea', {rows: 4, placeholder: '详细说明（可选）'});
    const lines = area => area.value.split('\n').map(s => s.trim()).filter(Boolean);
    const form = el('form', {class: 'proposal-form', hidden: true},
        field('文档编号', docId), field('标题', title), field('类别', category), field('问法', questions),
        field('法律依据', basis), field('简要回答', answer), field('详细说明', detail),
        el('div', {class: 'row'}, el('button', {type: 'submit', class: 'primary'}, '发布')));
    form.addEventListener('submit', async event => {
      event.preventDefault();
      const done = await adminCall(() => post('/api/v1/admin/proposals/' + encodeURIComponent(p.id) + '/publish', {
        docId: docId.value.trim(), title: title.value.trim(), category: category.value.trim(),
        questions: lines(questions), basis: lines(basis), answer: answer.value.trim(), detail: detail.value.trim()}));
      if (done !== undefined) {
        loadProposals();
      }
    });
    const reject = async () => {
      if (confirm('驳回这条指引建议？')) {
        await adminCall(() => post('/api/v1/admin/proposals/' + encodeURIComponent(p.id) + '/reject'));
        loadProposals();
      }
    };
    return el('li', {class: 'proposal'},
        el('p', {}, el('b', {}, p.title || ''), ' ', el('span', {class: 'badge'}, p.state || ''),
            el('span', {class: 'muted'}, ' 来自工单 #' + p.ticketId + '，' + (p.author || '') + '，'
                + timeText(p.createdAt, true))),
        el('p', {class: 'text'}, p.answer || ''),
        pending && el('div', {class: 'row'},
            el('button', {type: 'button', onclick: () => { form.hidden = !form.hidden; }}, '审核并编辑'),
            el('button', {type: 'button', class: 'danger', onclick: reject}, '驳回')),
        pending && form);
  }

  return showAdminTab;
}
