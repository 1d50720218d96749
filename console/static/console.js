// The console's few behaviours, in plain JavaScript: revealing a masked number (the server writes
// the look to the case's timeline) and asking before an irreversible decision.
(function () {
  var token = document.querySelector('meta[name="csrf-token"]');

  document.addEventListener('click', function (event) {
    var button = event.target.closest('button.reveal');
    if (!button) return;
    button.disabled = true;
    fetch(button.dataset.url, {
      method: 'POST', credentials: 'same-origin',
      headers: {'X-CSRFToken': token ? token.content : '', 'Accept': 'application/json'}
    }).then(function (response) {
      return response.json().then(function (body) { return {ok: response.ok, body: body}; });
    }).then(function (result) {
      if (!result.ok) throw new Error(result.body.error ? result.body.error.message : '查看失败');
      document.getElementById(button.dataset.target).textContent = result.body.value;
      button.textContent = '已记录查看';
    }).catch(function (error) {
      button.disabled = false;
      alert(error.message || '查看失败，请刷新页面后重试');
    });
  });

  document.addEventListener('submit', function (event) {
    var button = event.submitter || event.target.querySelector('[data-confirm]');
    if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) event.preventDefault();
  });
})();
