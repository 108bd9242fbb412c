// The Cortex dashboard: reads the node's /api (the gRPC API's replies as JSON, as `cortex ... --json` prints
// them, and a few views of its own: /api/epochs, /api/emission, /api/queries) and follows /api/feed
// (server-sent events: every block and epoch) without polling.
"use strict";
const U16 = 65535, RAO = 1e9, KEPT_BLOCKS = 512, TOP_SUBNETS = 8;
const $ = (id) => document.getElementById(id);
const fmt = (x, d = 4) => Number(x).toFixed(d);
const tao = (rao) => (Number(rao) / RAO).toFixed(9);
const pct = (x) => (100 * Number(x)).toFixed(2) + " %";
// a metagraph's epochIndex counts the epochs run: the last one's index (its record, its explanation) is one less
const lastEpoch = (m) => Number(m.epochIndex || 0) - 1;
const api = (path) => fetch("/api/" + path).then((r) => r.ok ? r.json() : r.text().then((t) => Promise.reject(new Error(t))));

let view = { name: "network" };
const charts = {};
let history = new Map();   // the open subnet's epochs by index: {epoch, incentive: [], dividends: []}
let miners = new Map();    // the open subnet's miners' answers by hotkey (/api/queries)
const emission = { netuids: [], blocks: [] }; // the last blocks' TAO into each subnet: {height, emission, taoIn: {netuid: rao}}

function show(name) {
  for (const v of ["network", "subnet", "neuron", "explain"]) $(v + "-view").hidden = v !== name;
}

// a uPlot chart in element id, drawn again from scratch (cheap at these sizes)
function plot(id, series, data, xLabel, yLabel) {
  if (charts[id]) charts[id].destroy();
  charts[id] = new uPlot({ width: Math.min(900, $(id).clientWidth || 900), height: 220, series,
    scales: { x: { time: false } }, axes: [{ label: xLabel }, { label: yLabel }] }, data, $(id));
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

// --- the network: each subnet's share of emission over the last blocks, and why -------------------------------

function network() {
  show("network");
  subnets();
  // the history once; the feed's blocks extend it (those that came while it was on its way are kept)
  api("emission").then((h) => {
    const last = h.blocks.length ? h.blocks[h.blocks.length - 1].height : -1;
    const later = emission.blocks.filter((b) => b.height > last);
    emission.netuids = [...new Set([...h.netuids, ...emission.netuids])];
    emission.blocks = h.blocks.map((b) => ({ height: b.height, emission: b.emission,
      taoIn: Object.fromEntries(h.netuids.map((n, i) => [n, b.taoIn[i]])) })).concat(later).slice(-KEPT_BLOCKS);
    drawEmission();
  }, (e) => { $("emission-blocks").textContent = "0 (" + e.message + ")"; });
}

function subnets() {
  api("subnets").then((r) => {
    $("policy").textContent = r.emissionPolicy;
    const body = $("subnets").tBodies[0];
    body.replaceChildren(...(r.subnets || []).map((s) => {
      const tr = row([link("#/subnet/" + s.netuid, s.netuid), s.mechanism || "", s.n || 0, s.epochIndex || 0,
        fmt(s.price || 0, 6), tao(s.taoReserve || 0), pct(s.emissionShare || 0), s.emissionReason || ""],
      { netuid: s.netuid, share: s.emissionShare || 0, tempo: s.tempo, demandPerBlock: s.demandPerBlock || 0 });
      tr.cells[7].className = "why";
      return tr;
    }));
  });
}

function addBlock(b) {
  const taoIn = {};
  for (const [n, rao] of Object.entries(b.taoIn || {})) {
    taoIn[n] = Number(rao);
    if (!emission.netuids.includes(Number(n))) emission.netuids.push(Number(n));
  }
  emission.blocks.push({ height: Number(b.height), emission: Number(b.blockEmission || 0), taoIn });
  if (emission.blocks.length > KEPT_BLOCKS) emission.blocks.shift();
}

// the subnets with the largest shares in the last block drawn one by one, the rest summed as "other"
function drawEmission() {
  const blocks = emission.blocks;
  $("emission-blocks").textContent = blocks.length;
  if (!blocks.length) return;
  const last = blocks[blocks.length - 1];
  const share = (b, n) => b.emission > 0 ? (b.taoIn[n] || 0) / b.emission : 0;
  const ranked = [...emission.netuids].sort((a, b) => share(last, b) - share(last, a));
  const top = ranked.slice(0, TOP_SUBNETS), rest = ranked.slice(TOP_SUBNETS);
  const series = [{ label: "block" }], data = [blocks.map((b) => b.height)];
  for (const n of top) {
    series.push({ label: "subnet " + n, stroke: color(series.length) });
    data.push(blocks.map((b) => share(b, n)));
  }
  if (rest.length) {
    series.push({ label: rest.length + " other subnets", stroke: "#999", dash: [4, 4] });
    data.push(blocks.map((b) => rest.reduce((sum, n) => sum + share(b, n), 0)));
  }
  plot("emission-chart", series, data, "block", "share of emission");
  Object.assign($("emission-chart").dataset, { blocks: String(blocks.length), series: String(series.length - 1),
    netuids: String(emission.netuids.length) });
}

// --- a subnet: its metagraph, incentive and dividends over epochs, weights, miners' answers ------------------

function subnet(netuid) {
  show("subnet");
  $("subnet-netuid").textContent = netuid;
  history = new Map();
  miners = new Map();
  api("subnet?netuid=" + netuid).then((r) => {
    const m = r.metagraph;
    $("subnet-meta").textContent = (r.summary.mechanism || "") + " · epoch " + lastEpoch(m) + " · tempo " + m.tempo
      + " · " + pct(r.summary.emissionShare || 0) + " of emission";
    metagraph(m);
    answers(netuid);
    return api("epochs?netuid=" + netuid + "&last=16");
  }).then((epochs) => {
    for (const e of epochs || []) remember(e.epoch, e.output.incentive, e.output.dividends);
    draw();
    return api("epoch?netuid=" + netuid);
  }).then(heatmap, () => {});
}

function remember(epoch, incentive, dividends) {
  history.set(epoch, { epoch, incentive, dividends });
  const kept = [...history.keys()].sort((a, b) => a - b);
  for (const e of kept.slice(0, Math.max(0, kept.length - 32))) history.delete(e);
}

// incentive of the subnet's top five miners and dividends of its top validator, over its epochs
function draw() {
  const epochs = [...history.values()].sort((a, b) => a.epoch - b.epoch);
  if (!epochs.length) return;
  const latest = epochs[epochs.length - 1];
  const top = (xs) => (xs || []).map((v, uid) => [v, uid]).sort((a, b) => b[0] - a[0]).slice(0, 5).map((p) => p[1]);
  const series = [{ label: "epoch" }], data = [epochs.map((h) => h.epoch)];
  for (const uid of top(latest.incentive)) {
    series.push({ label: "incentive uid " + uid, stroke: color(series.length) });
    data.push(epochs.map((h) => ((h.incentive || [])[uid] || 0) / U16));
  }
  for (const uid of top(latest.dividends).slice(0, 1)) {
    series.push({ label: "dividends uid " + uid, stroke: "#333", dash: [4, 4] });
    data.push(epochs.map((h) => ((h.dividends || [])[uid] || 0) / U16));
  }
  plot("chart", series, data, "epoch", "");
  $("chart").dataset.epochs = String(epochs.length);
}

// the epoch's weights, from its recorded input: a row a validator that set any, a column a uid
function heatmap(epochReply) {
  const input = JSON.parse(epochReply.inputJson);
  const rows = (input.weights || []).map((row, uid) => [uid, row]).filter((r) => r[1].length > 0);
  const n = input.n, canvas = $("weights");
  const cell = Math.max(2, Math.floor(900 / Math.max(1, n)));
  const height = rows.length > 64 ? 4 : 12;
  canvas.width = cell * n;
  canvas.height = Math.max(1, rows.length) * height;
  const g = canvas.getContext("2d");
  g.clearRect(0, 0, canvas.width, canvas.height);
  rows.forEach(([uid, row], i) => {
    const max = Math.max(...row.map((p) => p[1]), 1);
    for (const [column, value] of row) {
      g.fillStyle = "rgba(37, 99, 235, " + (value / max).toFixed(3) + ")";
      g.fillRect(column * cell, i * height, cell, height - 1);
    }
  });
  canvas.title = "validators (rows): uids " + rows.map((r) => r[0]).join(", ");
  Object.assign(canvas.dataset, { rows: String(rows.length), columns: String(n), epoch: String(epochReply.epoch || 0) });
  $("weights-epoch").textContent = epochReply.epoch || 0;
}

function metagraph(m) {
  const body = $("metagraph").tBodies[0];
  body.replaceChildren(...(m.neurons || []).map((n) => {
    const q = miners.get(n.hotkey);
    return row([
      link("#/neuron/" + m.netuid + "/" + (n.uid || 0), n.uid || 0), n.hotkey.slice(0, 12) + "…", tao(n.stake || 0),
      fmt((n.validatorTrust || 0) / U16), fmt((n.consensus || 0) / U16), fmt((n.incentive || 0) / U16),
      fmt((n.dividends || 0) / U16), tao(n.emission || 0), (n.axon || "").replace(/^aeron:udp\?endpoint=/, ""),
      n.hosted ? "hosted dev" : "own keys",
      q ? q.queries : "", q ? q.timedOut : "", q && q.answered ? fmt(q.meanMs, 1) : "",
      link("#/explain/" + m.netuid + "/" + (n.uid || 0) + "/" + lastEpoch(m), "explain")],
    // the raw values beside the formatted ones, as the API gives them (the browser test compares them with the CLI's)
    Object.assign({ uid: n.uid || 0, hotkey: n.hotkey, stake: n.stake || "0", validatorTrust: n.validatorTrust || 0,
      consensus: n.consensus || 0, incentive: n.incentive || 0, dividends: n.dividends || 0, emission: n.emission || "0",
      axon: n.axon || "", hosted: !!n.hosted }, q ? { queries: String(q.queries), timedOut: String(q.timedOut) } : {}));
  }));
  $("metagraph").dataset.epoch = String(m.epochIndex || 0);
  $("metagraph").dataset.netuid = String(m.netuid);
}

// what every node's dendrite saw of the subnet's miners; the table's columns follow
function answers(netuid) {
  const asked = Date.now(); // when this reply's counts were asked for (a later reply may land first)
  api("queries?netuid=" + netuid).then((q) => {
    if (Number($("answers").dataset.askedAt || 0) > asked) return;
    miners = new Map(q.miners.map((m) => [m.hotkey, m]));
    const s = q.subnet;
    $("answers").textContent = s.queries + " queries from " + q.nodes.length + " nodes: " + s.answered + " answered (p50 "
      + fmt(s.p50Ms, 1) + " ms, p90 " + fmt(s.p90Ms, 1) + ", p99 " + fmt(s.p99Ms, 1) + ", max " + fmt(s.maxMs, 1) + "), "
      + s.timedOut + " timed out, " + s.refused + " refused";
    Object.assign($("answers").dataset, { askedAt: String(asked), queries: String(s.queries), timedOut: String(s.timedOut),
      answered: String(s.answered), nodes: String(q.nodes.length), p99Ms: String(s.p99Ms) });
    for (const tr of $("metagraph").tBodies[0].rows) {
      const m = miners.get(tr.dataset.hotkey);
      tr.cells[10].textContent = m ? m.queries : "";
      tr.cells[11].textContent = m ? m.timedOut : "";
      tr.cells[12].textContent = m && m.answered ? fmt(m.meanMs, 1) : "";
      if (m) Object.assign(tr.dataset, { queries: String(m.queries), timedOut: String(m.timedOut) });
    }
  }, (e) => { $("answers").textContent = "the miners' answers are unavailable: " + e.message; });
}

// --- a neuron: its history over the subnet's recorded epochs -----------------------------------------------

function neuron(netuid, uid) {
  show("neuron");
  $("neuron-netuid").textContent = netuid;
  $("neuron-uid").textContent = uid;
  api("subnet?netuid=" + netuid).then((r) => {
    const n = (r.metagraph.neurons || []).find((x) => (x.uid || 0) === uid);
    $("neuron-meta").textContent = n ? n.hotkey + " · stake " + tao(n.stake || 0) + " α · "
      + (n.hosted ? "hosted dev" : "own keys") + " · registered at block " + (n.registeredAt || 0) : "no such uid now";
  });
  api("epochs?netuid=" + netuid + "&last=32").then((epochs) => {
    const at = (xs) => (xs || [])[uid] || 0;
    const x = epochs.map((e) => e.epoch);
    const series = [{ label: "epoch" }], data = [x];
    for (const [field, label] of [["incentive", "incentive"], ["dividends", "dividends"],
      ["validator_trust", "validator trust"], ["consensus", "consensus"]]) {
      series.push({ label, stroke: color(series.length) });
      data.push(epochs.map((e) => at(e.output[field]) / U16));
    }
    plot("neuron-chart", series, data, "epoch", "");
    $("neuron-history").tBodies[0].replaceChildren(...epochs.slice().reverse().map((e) => row([
      e.epoch, e.block, at(e.output.active) ? "yes" : "no", fmt(at(e.output.validator_trust) / U16),
      fmt(at(e.output.consensus) / U16), fmt(at(e.output.incentive) / U16), fmt(at(e.output.dividends) / U16),
      tao(at(e.minerPaid)), tao(at(e.validatorPaid)), link("#/explain/" + netuid + "/" + uid + "/" + e.epoch, "explain")],
    { epoch: e.epoch, incentive: at(e.output.incentive), dividends: at(e.output.dividends),
      minerPaid: at(e.minerPaid), validatorPaid: at(e.validatorPaid) })));
    $("neuron-history").dataset.loaded = netuid + "/" + uid + "/" + epochs.length;
  }, (e) => { $("neuron-history").tBodies[0].replaceChildren(row(["error", e.message])); });
}

// --- the explanation of one uid in one epoch --------------------------------------------------------------

function explain(netuid, uid, epoch) {
  show("explain");
  $("explain-netuid").textContent = netuid;
  $("explain-uid").textContent = uid;
  $("explain-epoch").textContent = epoch;
  $("explain-input").value = epoch;
  $("explain-history").href = "#/neuron/" + netuid + "/" + uid;
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

// --- building blocks ----------------------------------------------------------------------------------------

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
  return ["#2563eb", "#16a34a", "#dc2626", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777", "#4b5563"][i % 9];
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
  else if (parts[0] === "neuron") { view = { name: "neuron", netuid: Number(parts[1]), uid: Number(parts[2]) }; neuron(view.netuid, view.uid); }
  else if (parts[0] === "explain") { view = { name: "explain" }; explain(parts[1], parts[2], parts[3]); }
  else { view = { name: "network" }; network(); }
}

window.cortexPageLoad = String(Math.random()); // the same until the page is loaded again
let drawn = 0, refreshing = null;
const events = new EventSource("/api/feed");
events.addEventListener("block", (m) => {
  const b = JSON.parse(m.data);
  $("height").textContent = b.height;
  $("block-clock").textContent = new Date(Number(b.timestampMs)).toLocaleTimeString();
  $("state").textContent = (b.stateHash || "").slice(0, 16) + "…";
  feed("block " + b.height + " · " + (b.transactions || 0) + " tx", "block");
  addBlock(b);
  if (view.name === "network" && Date.now() - drawn > 1000) { drawn = Date.now(); drawEmission(); }
});
let statusDue = null;
events.addEventListener("epoch", (m) => {
  const e = JSON.parse(m.data);
  const g = e.metagraph;
  feed("epoch " + lastEpoch(g) + " of subnet " + g.netuid, "epoch");
  // the header's counts (subnets, epochs run) once for a burst of epochs
  if (!statusDue) statusDue = setTimeout(() => { statusDue = null; status(); }, 1000);
  if (view.name === "subnet" && view.netuid === g.netuid) {
    metagraph(g);
    answers(g.netuid);
    $("subnet-meta").textContent = $("subnet-meta").textContent.replace(/epoch -?\d+/, "epoch " + lastEpoch(g));
    const incentive = [], dividends = [];
    for (const n of g.neurons || []) { incentive[n.uid || 0] = n.incentive || 0; dividends[n.uid || 0] = n.dividends || 0; }
    remember(lastEpoch(g), incentive, dividends);
    draw();
    api("epoch?netuid=" + g.netuid + "&epoch=" + lastEpoch(g)).then(heatmap, () => {}); // its weights, once an epoch
  } else if (view.name === "network" && !refreshing) {
    // one refresh of the table for a burst of epochs (64 subnets may run theirs in the same block)
    refreshing = setTimeout(() => { refreshing = null; if (view.name === "network") subnets(); }, 1000);
  }
});
window.addEventListener("hashchange", route);
status();
route();
