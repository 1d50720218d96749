// The veteran demo page: plain JavaScript over the JSON API, as the mini-program would use it.
// The current `expecting` of the chat is kept on #composer[data-expecting], which the browser test reads.
(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var state = {token: sessionStorage.getItem('demo-token'), openid: sessionStorage.getItem('demo-openid'),
               expecting: null, selected: null, material: null, caseId: null};
  var OPEN_FOR_UPLOAD = ['submitted', 'archive_reviewed', 'supplement_requested'];

  function api(method, path, body, isForm) {
    var headers = {'Accept': 'application/json'};
    if (state.token) headers['Authorization'] = 'Bearer ' + state.token;
    if (body && !isForm) headers['Content-Type'] = 'application/json';
    return fetch(path, {method: method, headers: headers, body: isForm ? body : (body ? JSON.stringify(body) : undefined)})
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (response.status === 401 && path.indexOf('/auth/') < 0) { logout(); }
          if (!response.ok) {
            var error = new Error((data.error && data.error.message) || ('请求失败（' + response.status + '）'));
            error.fields = data.error && data.error.fields;
            throw error;
          }
          return data;
        });
      });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  // Stored moments are UTC (SQLite gives them without an offset); people read China's time.
  function chinaTime(iso) {
    var moment = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(iso) ? iso : iso + 'Z');
    var parts = {};
    new Intl.DateTimeFormat('zh-CN', {timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit',
                                     hour: '2-digit', minute: '2-digit', hour12: false})
      .formatToParts(moment).forEach(function (p) { parts[p.type] = p.value; });
    return parts.year + '-' + parts.month + '-' + parts.day + ' ' + parts.hour + ':' + parts.minute;
  }

  // --- signing in -------------------------------------------------------------------------------
  function login(openid) {
    return api('POST', '/api/v1/auth/dev-login', {openid: openid}).then(function (data) {
      state.token = data.token; state.openid = openid;
      sessionStorage.setItem('demo-token', data.token); sessionStorage.setItem('demo-openid', openid);
      showSignedIn();
    }).catch(function (error) { alert(error.message); });
  }

  function logout() {
    sessionStorage.removeItem('demo-token'); sessionStorage.removeItem('demo-openid');
    state.token = null;
    $('signed-in').hidden = true; $('login').hidden = false;
  }

  function showSignedIn() {
    $('login').hidden = true; $('signed-in').hidden = false;
    $('who').textContent = state.openid;
    $('messages').textContent = '';
    loadHistory();
    refreshInbox();
  }

  // --- the chat -----------------------------------------------------------------------------------
  function addBubble(kind, text) {
    var bubble = el('div', 'bubble ' + kind, text);
    $('messages').appendChild(bubble);
    $('messages').scrollTop = $('messages').scrollHeight;
    return bubble;
  }

  function showReply(reply) {
    var kind = reply.type === 'case' ? 'guide case' : reply.type === 'summary' ? 'guide summary' : 'guide';
    addBubble(kind, reply.text);
    if (reply.data && reply.data.selected) state.selected = reply.data.selected;
    if (reply.data && reply.data.material) state.material = reply.data.material;
    if (reply.type === 'case') refreshCases();
  }

  function loadHistory() {
    $('composer').dataset.busy = '1';
    api('GET', '/api/v1/chat/messages').then(function (data) {
      data.items.forEach(function (item) {
        if (item.from === 'veteran') addBubble('me', item.text || optionText(item.payload));
        else showReply(item);
      });
      if (!data.items.length) {
        addBubble('note', '点下面的按钮或输入一句话开始。');
        setExpecting({slot: '_start', type: 'choice', options: ['我刚退伍，要办理退役手续', '退役报到需要带什么材料？']}, true);
      } else {
        setExpecting({slot: '_resume', type: 'choice', options: ['继续办理', '我的申请到哪一步了']}, true);
      }
    }).then(function () { $('composer').dataset.busy = '0'; });
  }

  function optionText(payload) {
    if (!payload) return '';
    return Array.isArray(payload.value) ? payload.value.join('、') : String(payload.value);
  }

  function send(body, shown) {
    addBubble('me', shown);
    state.selected = state.material = null;  // each turn's replies bring their own
    setExpecting(null);
    $('composer').dataset.busy = '1';
    return api('POST', '/api/v1/chat/messages', body).then(function (turn) {
      state.caseId = turn.case_id;
      turn.replies.forEach(showReply);
      setExpecting(turn.expecting);
    }).catch(function (error) {
      addBubble('note', error.message);
      setExpecting(state.lastExpecting);
    }).then(function () { $('composer').dataset.busy = '0'; });
  }

  function label(option) { return typeof option === 'string' ? option : option.label; }
  function value(option) { return typeof option === 'string' ? option : option.value; }

  // Local expectings (start, resume) send their option as plain text; the guide's own take a payload.
  function setExpecting(expecting, local) {
    if (expecting && !local) state.lastExpecting = expecting;
    state.expecting = local ? null : expecting;
    var composer = $('composer');
    composer.dataset.expecting = JSON.stringify(local ? null : expecting);
    composer.dataset.caseId = state.caseId || '';
    var choices = $('choices'), extra = $('extra');
    choices.textContent = ''; extra.textContent = '';
    $('text').placeholder = '输入回答或问题…';
    if (!expecting) return;
    var options = expecting.options || [];
    if (expecting.type === 'multi_choice') {
      var selected = state.selected || [];
      options.forEach(function (option) {
        var box = el('input'); box.type = 'checkbox'; box.value = value(option);
        box.checked = selected.indexOf(value(option)) >= 0;
        var line = el('label', 'check'); line.appendChild(box); line.appendChild(document.createTextNode(label(option)));
        choices.appendChild(line);
      });
      var confirm = el('button', 'primary', '确定所选事项'); confirm.type = 'button';
      confirm.addEventListener('click', function () {
        var boxes = choices.querySelectorAll('input[type=checkbox]:checked');
        var keys = [], names = [];
        boxes.forEach(function (box) { keys.push(box.value); names.push(box.parentNode.textContent); });
        send({payload: {slot: expecting.slot, value: keys}}, names.join('、') || '（未选择）');
      });
      extra.appendChild(confirm);
    } else if (options.length > 12) {
      var select = el('select');
      options.forEach(function (option) { var o = el('option', null, label(option)); o.value = value(option); select.appendChild(o); });
      var pick = el('button', 'primary', '选择'); pick.type = 'button';
      pick.addEventListener('click', function () {
        send({payload: {slot: expecting.slot, value: select.value}}, select.options[select.selectedIndex].text);
      });
      extra.appendChild(el('span', null, '请选择：')); extra.appendChild(select); extra.appendChild(pick);
    } else {
      options.forEach(function (option) {
        var button = el('button', 'option', label(option)); button.type = 'button';
        button.addEventListener('click', function () {
          if (local) send({text: label(option)}, label(option));
          else send({payload: {slot: expecting.slot, value: value(option)}}, label(option));
        });
        choices.appendChild(button);
      });
    }
    var single = !expecting.slots || expecting.slots.length === 1;
    if (expecting.type === 'date') {
      var month = el('input'); month.type = 'month'; month.setAttribute('aria-label', '选择年月');
      month.addEventListener('change', function () {
        if (!month.value) return;
        if (single) send({text: month.value}, month.value);
        else { $('text').value += ($('text').value ? '，' : '') + month.value; $('text').focus(); }
      });
      extra.appendChild(el('span', null, single ? '选择年月：' : '选择年月填入：')); extra.appendChild(month);
    }
    if (expecting.type === 'region') $('text').placeholder = '输入地名，如 广州市天河区 或 6位区划代码';
    if (expecting.type === 'file') extra.appendChild(uploadControl(materialKind(expecting), true));
    $('messages').scrollTop = $('messages').scrollHeight;  // the composer may have grown over the last reply
  }

  function materialKind(expecting) {
    return state.material || expecting.slot.replace(/^material_/, '');
  }

  // --- uploads ------------------------------------------------------------------------------------
  function uploadControl(kind, fromChat, caseId) {
    var row = el('span', 'upload-row');
    var input = el('input'); input.type = 'file'; input.accept = 'image/jpeg,image/png,application/pdf';
    input.setAttribute('aria-label', '选择文件');
    var button = el('button', 'primary', '上传'); button.type = 'button';
    button.addEventListener('click', function () {
      if (!input.files.length) { alert('请先选择文件'); return; }
      var form = new FormData(); form.append('kind', kind); form.append('file', input.files[0]);
      button.disabled = true;
      api('POST', '/api/v1/cases/' + (caseId || state.caseId) + '/materials', form, true).then(function (material) {
        if (fromChat) {
          addBubble('note', '已上传：' + material.label + '（' + Math.round(material.size / 1024) + ' KB）');
          send({text: '已上传'}, '已上传' + material.label);
        } else {
          refreshCases();
        }
      }).catch(function (error) {
        button.disabled = false;
        if (fromChat) addBubble('note', '上传失败：' + error.message); else alert('上传失败：' + error.message);
      });
    });
    row.appendChild(input); row.appendChild(button);
    return row;
  }

  // --- my cases -----------------------------------------------------------------------------------
  function refreshCases() {
    if (!state.token) return;
    api('GET', '/api/v1/cases').then(function (data) {
      var box = $('cases'); box.textContent = '';
      if (!data.items.length) box.appendChild(el('p', 'muted', '还没有提交的申请。'));
      data.items.filter(function (c) { return c.status !== 'draft'; }).forEach(function (c) {
        var card = el('div', 'case-card'); card.dataset.caseId = c.id;
        var head = el('div', 'head');
        head.appendChild(el('b', null, c.case_no || '草稿'));
        head.appendChild(el('span', 'status st-' + c.status, c.status_label));
        card.appendChild(head);
        card.appendChild(el('div', 'muted', c.deadline ? '办结时限：' + c.deadline + '（受理后' + c.time_limit_working_days + '个工作日）'
                                                       : '受理后' + c.time_limit_working_days + '个工作日内办结'));
        if (c.decision_reason && c.status === 'rejected') card.appendChild(el('div', 'error', '不予受理：' + c.decision_reason));
        if (c.status === 'supplement_requested' && c.supplement) {
          card.appendChild(el('div', 'error', '需要补正：' + c.supplement.items.map(function (i) { return i.label + '：' + i.reason; }).join('；')));
        }
        var list = el('ul');
        c.matters.forEach(function (m) {
          var item = el('li'); item.dataset.matter = m.key;
          item.appendChild(el('span', null, m.label + ' '));
          item.appendChild(el('span', 'status st-' + m.status, m.status_label));
          if (m.result) item.appendChild(el('div', 'result', '结果：' + m.result));
          else if (m.note && m.status === 'returned') item.appendChild(el('div', 'error', m.note));
          list.appendChild(item);
        });
        card.appendChild(list);
        var owed = (c.materials_required || []).filter(function (m) { return m.status === 'owed'; });
        if (owed.length && OPEN_FOR_UPLOAD.indexOf(c.status) >= 0) {
          card.appendChild(el('div', 'muted', '待上传材料：'));
          owed.forEach(function (m) {
            var row = el('div'); row.appendChild(el('span', null, m.label + ' '));
            row.appendChild(uploadControl(m.key, false, c.id));
            card.appendChild(row);
          });
        }
        box.appendChild(card);
      });
    });
  }

  // --- the inbox ----------------------------------------------------------------------------------
  function refreshInbox() {
    if (!state.token) return;
    api('GET', '/api/v1/messages').then(function (data) {
      var unread = $('unread');
      unread.hidden = !data.unread_count; unread.textContent = data.unread_count;
      var list = $('inbox'); list.textContent = '';
      if (!data.items.length) list.appendChild(el('li', 'muted', '暂无消息。'));
      data.items.forEach(function (message) {
        var item = el('li', message.read ? '' : 'unread');
        item.appendChild(el('b', null, message.title));
        item.appendChild(el('div', 'body', message.body));
        item.appendChild(el('div', 'muted', chinaTime(message.created_at)));
        item.addEventListener('click', function () {
          if (!message.read) api('POST', '/api/v1/messages/' + message.id + '/read').then(refreshInbox);
        });
        list.appendChild(item);
      });
    }).catch(function () { /* the inbox is optional: leave it as it was */ });
  }

  // --- wiring -------------------------------------------------------------------------------------
  $('login-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var openid = $('openid').value.trim();
    if (openid) login(openid);
  });
  $('new-user').addEventListener('click', function () {
    $('openid').value = 'demo-veteran-' + Math.random().toString(36).slice(2, 8);
  });
  $('logout').addEventListener('click', logout);
  $('send-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var text = $('text').value.trim();
    if (!text) return;
    $('text').value = '';
    send({text: text}, text);
  });
  document.querySelectorAll('.tabs button').forEach(function (button) {
    button.addEventListener('click', function () {
      document.querySelectorAll('.tabs button').forEach(function (b) { b.classList.toggle('active', b === button); });
      ['chat', 'cases', 'inbox'].forEach(function (tab) { $('tab-' + tab).hidden = tab !== button.dataset.tab; });
      if (button.dataset.tab === 'cases') refreshCases();
      if (button.dataset.tab === 'inbox') refreshInbox();
    });
  });
  $('refresh-cases').addEventListener('click', refreshCases);
  $('read-all').addEventListener('click', function () { api('POST', '/api/v1/messages/read-all').then(refreshInbox); });
  // Staff work in another tab: look for news every few seconds, as pushes would bring it.
  setInterval(function () {
    refreshInbox();
    if (!$('tab-cases').hidden) refreshCases();
  }, 5000);

  if (state.token) showSignedIn();
})();
