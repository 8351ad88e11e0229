// The console's only script (CSP: script-src 'self', nothing inline). It sends the CSRF token with
// every htmx request and draws the deployment charts from the page's JSON document.
(function () {
  'use strict';

  function meta(name) {
    var element = document.querySelector('meta[name="' + name + '"]');
    return element ? element.getAttribute('content') : null;
  }

  document.addEventListener('htmx:configRequest', function (event) {
    var header = meta('csrf-header');
    var token = meta('csrf-token');
    if (header && token) {
      event.detail.headers[header] = token;
    }
  });

  var PALETTE = ['#1f5fa8', '#b5402a', '#2e7d32', '#6a3d9a', '#8a6d00', '#00838f'];

  function message(target, text) {
    var p = document.createElement('p');
    p.className = 'chart-empty';
    p.textContent = text;
    target.appendChild(p);
  }

  function width(target) {
    return Math.max(280, Math.min(target.clientWidth || 420, 560));
  }

  // Series overlap, largest first: errors are drawn inside the requests bar, p50 inside p95 inside p99.
  function bars(target, labels, series) {
    if (labels.length === 0) {
      message(target, 'No requests recorded yet.');
      return;
    }
    var xs = labels.map(function (_, i) { return i; });
    var opts = {
      width: width(target),
      height: 220,
      scales: { x: { time: false, range: [-0.5, labels.length - 0.5] } },
      axes: [
        { values: function (u, splits) { return splits.map(function (i) { return labels[i] === undefined ? '' : labels[i]; }); },
          splits: function () { return xs; } },
        {}
      ],
      series: [{}].concat(series.map(function (s, i) {
        return {
          label: s.label,
          stroke: PALETTE[i % PALETTE.length],
          fill: PALETTE[i % PALETTE.length],
          paths: uPlot.paths.bars({ size: [0.6, 80] })
        };
      }))
    };
    new uPlot(opts, [xs].concat(series.map(function (s) { return s.values; })), target);
  }

  function drift(target, data) {
    var features = Object.keys(data.psiByFeature || {});
    if (data.windowEnds.length === 0 || features.length === 0) {
      message(target, 'No drift window has closed yet.');
      return;
    }
    var opts = {
      width: width(target),
      height: 220,
      scales: { x: { time: true } },
      series: [{}].concat(features.map(function (name, i) {
        return { label: name, stroke: PALETTE[i % PALETTE.length], width: 2, points: { show: true } };
      }))
    };
    new uPlot(opts, [data.windowEnds].concat(features.map(function (f) { return data.psiByFeature[f]; })), target);
  }

  function charts() {
    var section = document.getElementById('charts');
    if (!section || typeof uPlot === 'undefined') {
      return;
    }
    fetch(section.getAttribute('data-charts-url'), { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (response) {
        if (!response.ok) { throw new Error('HTTP ' + response.status); }
        return response.json();
      })
      .then(function (data) {
        document.getElementById('request-rate').textContent = String(data.requestsPerMinute);
        bars(document.getElementById('chart-requests'), data.groups, [
          { label: 'requests', values: data.requests },
          { label: '4xx', values: data.clientErrors },
          { label: '5xx', values: data.serverErrors }
        ]);
        bars(document.getElementById('chart-latency'), data.groups, [
          { label: 'p99', values: data.p99Ms },
          { label: 'p95', values: data.p95Ms },
          { label: 'p50', values: data.p50Ms }
        ]);
        drift(document.getElementById('chart-drift'), data);
        section.setAttribute('data-rendered', 'true');
      })
      .catch(function () {
        message(section, 'The charts could not be loaded.');
      });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', charts);
  } else {
    charts();
  }
})();
