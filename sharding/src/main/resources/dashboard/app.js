// The Cortex dashboard: reads the node's /api (the gRPC API's replies as JSON, as `cortex ... --json` prints
// them) and follows /api/feed (server-sent events: every block and epoch) without polling.
"use strict";
const U16 = 65535, RAO = 1e9;
const $ = (id) => document.getElementById(id);
const fmt = (x, d = 4) => Number(x).toFixed(d);
const tao = (rao) => (Number(rao) / RAO).toFixed(9);
// a metagraph's epochIndex counts the epochs run: the last one's index (its record, its explanation) is one less
const lastEpoch = (m) => Number(m.epochIndex || 0) - 1;
const api = (path) => fetch("/api/" + path).then((r) => r.ok ? r.json() : r.text().then((t) => Promise.reject(new Error(t))));

let view = { name: "network" };
let chart = null;
let history = new Map();   // the open subnet's epochs by index: {epoch, incentive: [], dividends: []}

function remember(epoch, incentive, dividends) {
  history.set(epoch, { epoch, incentive, dividends });
  const kept = [...history.keys()].sort((a, b) => a - b);
  for (const e of kept.slice(0, Math.max(0, kept.length - 32))) history.delete(e);
}

function show(name) {
  for (const v of ["network", "subnet", "explain"]) $(v + "-view").hidden = v !== name;
}

function status() {
  api("status").then((s) => {
    $("node").textContent = "node " + s.node;
    $("height").textContent = s.height;
    $("block-time").textContent = s.blockTimeMs + " ms blocks";
    $("state").textContent = (s.stateHash || "").slice(0, 16) + "…";
    $("subnet-count").textContent = s.subnets;
    $("epochs-run").textContent = s.epochsRun || 0;
  });
}

function network() {
  show("network");
  api("subnets").then((r) => {
    const body = $("subnets").tBodies[0];
    body.replaceChildren(...(r.subnets || []).map((s) => row([
      link("#/subnet/" + s.netuid, s.netuid), s.mechanism || "", s.n || 0, s.tempo, s.epochIndex || 0,
      fmt(s.price || 0, 6), tao(s.taoReserve || 0), fmt(s.demandPerBlock || 0, 1)], { netuid: s.netuid })));
  });
}

function subnet(netuid) {
  show("subnet");
  $("subnet-netuid").textContent = netuid;
  history = new Map();
  api("subnet?netuid=" + netuid).then((r) => {
    const m = r.metagraph;
    $("subnet-meta").textContent = (r.summary.mechanism || "") + " · epoch " + lastEpoch(m) + " · tempo " + m.tempo;
    metagraph(m);
    const last = lastEpoch(m);
    const first = Math.max(0, last - 15);
    const epochs = [];
    for (let e = first; e <= last; e++) epochs.push(api("epoch?netuid=" + netuid + "&epoch=" + e).catch(() => null));
    return Promise.all(epochs);
  }).then((replies) => {
    let latest = null;
    for (const e of replies || []) {
      if (!e) continue;
      const out = JSON.parse(e.outputJson);
      remember(Number(e.epoch || 0), out.incentive, out.dividends);
      latest = e;
    }
    draw();
    if (latest) heatmap(latest);
  });
}

// the epoch's weights, from its recorded input: a row a validator that set any, a column a uid
function heatmap(epochReply) {
  const input = JSON.parse(epochReply.inputJson);
  const rows = (input.weights || []).map((row, uid) => [uid, row]).filter((r) => r[1].length > 0);
  const n = input.n, canvas = $("weights");
  const cell = Math.max(2, Math.floor(900 / Math.max(1, n)));
  canvas.width = cell * n;
  canvas.height = Math.max(1, rows.length) * 12;
  const g = canvas.getContext("2d");
  g.clearRect(0, 0, canvas.width, canvas.height);
  rows.forEach(([uid, row], i) => {
    const max = Math.max(...row.map((p) => p[1]), 1);
    for (const [column, value] of row) {
      g.fillStyle = "rgba(37, 99, 235, " + (value / max).toFixed(3) + ")";
      g.fillRect(column * cell, i * 12, cell, 11);
    }
  });
  canvas.title = "validators (rows): uids " + rows.map((r) => r[0]).join(", ");
  canvas.dataset.rows = String(rows.length);
  canvas.dataset.columns = String(n);
  canvas.dataset.epoch = String(epochReply.epoch || 0);
  $("weights-epoch").textContent = epochReply.epoch || 0;
}

function metagraph(m) {
  const body = $("metagraph").tBodies[0];
  body.replaceChildren(...(m.neurons || []).map((n) => row([
    n.uid || 0, n.hotkey.slice(0, 12) + "…", tao(n.stake || 0), fmt((n.validatorTrust || 0) / U16),
    fmt((n.consensus || 0) / U16), fmt((n.incentive || 0) / U16), fmt((n.dividends || 0) / U16), tao(n.emission || 0),
    n.axon || "", n.hosted ? "hosted dev" : "own keys",
    link("#/explain/" + m.netuid + "/" + (n.uid || 0) + "/" + lastEpoch(m), "explain")],
    // the raw values beside the formatted ones, as the API gives them (the browser test compares them with the CLI's)
    { uid: n.uid || 0, hotkey: n.hotkey, stake: n.stake || "0", validatorTrust: n.validatorTrust || 0,
      consensus: n.consensus || 0, incentive: n.incentive || 0, dividends: n.dividends || 0, emission: n.emission || "0",
      axon: n.axon || "", hosted: !!n.hosted })));
  $("metagraph").dataset.epoch = String(m.epochIndex || 0);
}

// incentive of the subnet's top five miners and dividends of its top validator, over its epochs
function draw() {
  const epochs = [...history.values()].sort((a, b) => a.epoch - b.epoch);
  if (!epochs.length) return;
  const latest = epochs[epochs.length - 1];
  const top = (xs) => (xs || []).map((v, uid) => [v, uid]).sort((a, b) => b[0] - a[0]).slice(0, 5).map((p) => p[1]);
  const miners = top(latest.incentive), validators = top(latest.dividends).slice(0, 1);
  const x = epochs.map((h) => h.epoch);
  const series = [{ label: "epoch" }], data = [x];
  for (const uid of miners) {
    series.push({ label: "incentive uid " + uid, stroke: color(series.length) });
    data.push(epochs.map((h) => ((h.incentive || [])[uid] || 0) / U16));
  }
  for (const uid of validators) {
    series.push({ label: "dividends uid " + uid, stroke: "#333", dash: [4, 4] });
    data.push(epochs.map((h) => ((h.dividends || [])[uid] || 0) / U16));
  }
  if (chart) chart.destroy();
  chart = new uPlot({ width: Math.min(900, $("chart").clientWidth || 900), height: 220, series,
    scales: { x: { time: false } }, axes: [{ label: "epoch" }, {}] }, data, $("chart"));
  $("chart").dataset.epochs = String(x.length);
}

function explain(netuid, uid, epoch) {
  show("explain");
  $("explain-netuid").textContent = netuid;
  $("explain-uid").textContent = uid;
  $("explain-epoch").textContent = epoch;
  $("explain-input").value = epoch;
  $("explain-form").onsubmit = (ev) => { ev.preventDefault(); location.hash = "#/explain/" + netuid + "/" + uid + "/" + $("explain-input").value; };
  api("explain?netuid=" + netuid + "&uid=" + uid + "&epoch=" + epoch).then((x) => {
    const fields = ["block", "n", "stakeShare", "active", "validatorPermit", "validatorTrust", "bonds", "dividends", "rank",
      "incentive", "epochEmission", "minerPot", "minerPaid", "validatorPot", "validatorWeight", "validatorWeightSum",
      "validatorPaid", "totalPaid", "replayMatches", "inputHash"];
    $("explain").tBodies[0].replaceChildren(...fields.map((f) => {
      const tr = row([f, String(x[f])]);
      tr.dataset.field = f;
      return tr;
    }));
    $("derivation").textContent = (x.derivation || []).join("\n");
    $("explain").dataset.loaded = netuid + "/" + uid + "/" + epoch;
  }, (e) => { $("explain").tBodies[0].replaceChildren(row(["error", e.message])); $("derivation").textContent = ""; });
}

function row(cells, data = {}) {
  const tr = document.createElement("tr");
  for (const c of cells) {
    const td = document.createElement("td");
    if (c instanceof Node) td.appendChild(c); else td.textContent = c;
    tr.appendChild(td);
  }
  Object.assign(tr.dataset, data);
  return tr;
}

function link(href, text) {
  const a = document.createElement("a");
  a.href = href;
  a.textContent = text;
  return a;
}

function color(i) {
  return ["#2563eb", "#16a34a", "#dc2626", "#9333ea", "#ea580c", "#0891b2"][i % 6];
}

function feed(text, kind) {
  const li = document.createElement("li");
  li.className = kind;
  li.textContent = text;
  const list = $("feed");
  list.prepend(li);
  while (list.children.length > 40) list.lastChild.remove();
}

function route() {
  const parts = location.hash.replace(/^#\/?/, "").split("/");
  if (parts[0] === "subnet") { view = { name: "subnet", netuid: Number(parts[1]) }; subnet(view.netuid); }
  else if (parts[0] === "explain") { view = { name: "explain" }; explain(parts[1], parts[2], parts[3]); }
  else { view = { name: "network" }; network(); }
}

window.cortexPageLoad = String(Math.random()); // the same until the page is loaded again
const events = new EventSource("/api/feed");
events.addEventListener("block", (m) => {
  const b = JSON.parse(m.data);
  $("height").textContent = b.height;
  $("state").textContent = (b.stateHash || "").slice(0, 16) + "…";
  feed("block " + b.height + " · " + (b.transactions || 0) + " tx", "block");
});
events.addEventListener("epoch", (m) => {
  const e = JSON.parse(m.data);
  const g = e.metagraph;
  feed("epoch " + lastEpoch(g) + " of subnet " + g.netuid, "epoch");
  if (view.name === "subnet" && view.netuid === g.netuid) {
    metagraph(g);
    $("subnet-meta").textContent = $("subnet-meta").textContent.replace(/epoch -?\d+/, "epoch " + lastEpoch(g));
    const incentive = [], dividends = [];
    for (const n of g.neurons || []) { incentive[n.uid || 0] = n.incentive || 0; dividends[n.uid || 0] = n.dividends || 0; }
    remember(lastEpoch(g), incentive, dividends);
    draw();
    api("epoch?netuid=" + g.netuid + "&epoch=" + lastEpoch(g)).then(heatmap, () => {}); // its weights, once an epoch
  } else if (view.name === "network") {
    network();
  }
});
window.addEventListener("hashchange", route);
status();
route();
