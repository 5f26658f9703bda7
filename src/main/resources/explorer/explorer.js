// The explorer's page: draws the village's blocks as one tree and each villager's chain, follows them
// as the explorer's server tells it of changes, sends the villagers' requests, and keeps a tampered copy
// of a chain. It asks only the explorer's server (/api/...),
// which passes each request on to one of its villagers; the page never talks to a node itself.
"use strict";

(() => {
  /** After the explorer's server failed to answer, the page waits this long before asking again. */
  const RETRY_MS = 1000;
  /** Blocks no villager holds any longer (drawn grey) that the page keeps, as many as the explorer's server keeps. */
  const STALE_KEPT = 2000;
  /** The tree shows the newest heights (older ones are in each villager's row), and at most so many branches. */
  const TREE_HEIGHTS = 24;
  const TREE_LANES = 24;
  const TREE_STEP_X = 96;
  const TREE_STEP_Y = 46;
  const TREE_BLOCK_W = 72;
  const TREE_BLOCK_H = 36;
  /**
   * The fixed genesis blocks nodes start from, from B13 on (B16's opens the village with 小美's and
   * 大華's coins): each is evidence of a proof over the whole block.
   */
  const FIXED_GENESIS = new Map([
    ["1718c255056a04c456980f931ed2deba134b4faf448173d61c1f5ff366627230", "B13's genesis block"],
    ["2378999487d39a13b150d6fb74877c008ea4aed2cc54a3fd1526322b67ea4c2b", "B16's genesis block"],
    ["e0ee9a01795fcfc570fb2022b4db046c5d247bacf62f882fc8e0526e6cdd1929", "B17's genesis block"],
  ]);
  /** What the explorer's server takes in one POST /api/signatures or /api/coin-signatures. */
  const VERDICTS_PER_ASK = 64;
  const SPENT_PER_ASK = 256;
  /** The coins of an address the page lists; the villager's answer says how many more. */
  const COINS_LISTED = 100;
  const ASKING = "asking";
  const ADDRESS = /^[0-9a-f]{64}$/;
  const state = {
    villagers: [],
    copyAddress: null,
    picked: null, // {villager, position} of the block drawn in the block panel
    payment: null, // {villager, id} whose confirmations the page follows
    copy: null, // the tampered copy: see openCopy
    hashCache: new Map(), // dumps(block) -> its SHA-256
    verdicts: new Map(), // dumps(payment) -> the explorer's verdict on its signature, or ASKING
    blocks: new Map(), // hash -> a block any villager holds or held, as the explorer's server sent it
    epoch: "", // the explorer's run, and the version of it the page holds
    version: 0,
  };

  // ---- small helpers ----

  /** An element with attributes (on... are listeners) and children (strings become text). */
  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === undefined || value === null || value === false) continue;
      if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else if (name === "className") node.className = value;
      else if (name === "style") node.style.cssText = value; // through the CSSOM: the page's policy refuses style attributes
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  const short = (hash) => (typeof hash === "string" ? hash.slice(0, 8) + "…" : raw(hash));
  const leadingZeros = (hex) => hex.length - hex.replace(/^0+/, "").length;
  const clone = (value) => PyJson.loads(PyJson.dumps(value, { sortKeys: false }));

  /** What a value typed in a form means: JSON if it reads as JSON (699, 1.5, "text"), else the text itself. */
  function typed(text) {
    try {
      return PyJson.loads(text.trim());
    } catch (e) {
      return text;
    }
  }

  /** A JSON value as the node sent it, cut to `length` characters: whatever it is, it can be drawn. */
  function raw(value, length = 24) {
    let text;
    try {
      text = PyJson.dumps(value);
    } catch (e) {
      text = String(value);
    }
    return text.length > length ? text.slice(0, length) + "…" : text;
  }

  /** A block's time of day; a timestamp no date can hold (1e300, "soon", null, -1e20) is drawn as it came. */
  function time(timestamp) {
    let seconds = NaN;
    if (timestamp instanceof PyJson.Float) seconds = timestamp.value;
    else if (typeof timestamp === "number" || typeof timestamp === "bigint") seconds = Number(timestamp);
    const date = new Date(seconds * 1000);
    if (!Number.isFinite(seconds) || Number.isNaN(date.getTime())) return "timestamp " + raw(timestamp);
    return date.toISOString().slice(11, 19) + " UTC";
  }

  async function hashOf(block) {
    const text = PyJson.dumps(block);
    let hash = state.hashCache.get(text);
    if (hash === undefined) {
      hash = await Sha256.hex(text);
      if (state.hashCache.size > 20000) state.hashCache.clear();
      state.hashCache.set(text, hash);
    }
    return hash;
  }

  /**
   * Asks villager v for path through the explorer. Answers {status, body} as the villager sent them;
   * status 0 when the explorer itself did not pass the request on (body says why).
   */
  async function ask(v, path, method = "GET", body = undefined) {
    const url = "/api/ask?node=" + encodeURIComponent(v.url) + "&path=" + encodeURIComponent(path);
    const init = { method, headers: {} };
    if (body !== undefined) {
      init.body = PyJson.dumps(body, { sortKeys: false });
      init.headers["Content-Type"] = "application/json";
    }
    try {
      const response = await fetch(url, init);
      const envelope = JSON.parse(await response.text());
      if (response.status !== 200) return { status: 0, body: "the explorer: " + (envelope.error || response.status) };
      return { status: envelope.status, body: envelope.body };
    } catch (e) {
      return { status: 0, body: "the explorer does not answer: is it still running?" };
    }
  }

  const shown = (answer) => (answer.status ? "HTTP " + answer.status + "\n" : "") + answer.body;

  function answerJson(answer) {
    try {
      return PyJson.loads(answer.body);
    } catch (e) {
      return null;
    }
  }

  // ---- what a node offers, read from its answers ----

  /**
   * The features of a villager's node, as its chain and answers show them, and only as far as they
   * show them: each is true, false, or undefined (not known yet) until a block or an answer is evidence.
   */
  function features(v) {
    const chain = Array.isArray(v.chain) ? v.chain : [];
    const first = chain[0] instanceof Map ? chain[0] : new Map();
    const nonceKey = first.has("proof") && !first.has("nonce") ? "proof" : "nonce";
    let ids = v.sawIds ? true : undefined;
    let fees;
    let signed;
    let coins;
    for (const block of chain) {
      const transactions = block instanceof Map ? block.get("transactions") : null;
      for (const tx of Array.isArray(transactions) ? transactions : []) {
        if (!(tx instanceof Map)) continue;
        if (tx.has("id")) ids = true;
        else if (ids === undefined) ids = false;
        if (tx.has("fee")) fees = true;
        else if (fees === undefined) fees = false;
        // From B16 on a payment carries its sender's signature, and every id, a reward's too, is SHA-256 of the payment: 64 hex digits.
        if (tx.has("signature") || (typeof tx.get("id") === "string" && ADDRESS.test(tx.get("id")))) signed = true;
        // From B17 on a transaction spends coins and makes coins: lists of inputs and outputs.
        if (Array.isArray(tx.get("inputs")) && Array.isArray(tx.get("outputs"))) coins = true;
      }
    }
    // The mempool route came with fees (B14 on): offer the fee field even before any payment shows one.
    if (v.pendingRoute === true) fees = true;
    // A proof over the whole block leaves its mark: every mined block's hash starts with zeros (from B13
    // on the one genesis block too). A mined block whose hash does not is evidence of the book's rule.
    const hashes = v.hashes || [];
    const mined = hashes.slice(1);
    let overBlock;
    let zeros = 0;
    if (mined.length) {
      zeros = Math.min(...mined.map(leadingZeros));
      overBlock = zeros >= 3;
    }
    // A fixed genesis block (every node from B13 on starts from one) is evidence of B13's rules.
    const genesis = FIXED_GENESIS.get(hashes[0]);
    if (genesis) overBlock = true;
    return { nonceKey, ids, fees, overBlock, zeros, pendingRoute: v.pendingRoute, signed, coins, genesis };
  }

  const mined = (v) => (v.hashes || []).length > 1;

  /** What the features line says: each rule as the evidence shows it, or "not known yet". */
  function labels(v, f) {
    const known = (value, yes, no, unknown) => (value === true ? yes : value === false ? no : unknown);
    return [
      v.chain ? v.chain.length + " blocks" : "",
      known(f.ids, "payments have ids", "payments have no ids", "ids: not known yet"),
      known(f.fees, "payments pay fees", "payments pay no fees", "fees: not known yet"),
      known(f.pendingRoute, "GET /transactions/pending answers", "no GET /transactions/pending", "GET /transactions/pending: not known yet"),
      known(f.overBlock, "proof over the whole block (" + (mined(v) ? f.zeros + " zeros" : f.genesis) + ")", "proof over nonces only (the book's rule)",
        "proof: not known yet"),
      // Said only when seen: the rows of nodes before B16 read as they always did.
      f.coins ? "coins in and out, each spent by its owner's signature" : f.signed ? "payments signed by their senders" : "",
    ].filter(Boolean).join(" · ");
  }

  // ---- following the village ----

  /**
   * Follows the village: asks the explorer's server what changed since the version the page holds; it
   * answers as soon as something changes (or after a while, nothing), and the page asks again at once.
   */
  async function follow() {
    for (;;) {
      let changes;
      try {
        const response = await fetch("/api/changes?epoch=" + encodeURIComponent(state.epoch) + "&since=" + state.version);
        changes = JSON.parse(await response.text());
        if (response.status !== 200) throw new Error(changes.error || "HTTP " + response.status);
      } catch (e) {
        document.getElementById("status").textContent = "The explorer does not answer (" + e.message + "): asking again in a moment";
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        continue;
      }
      try {
        takeIn(changes);
      } catch (e) {
        document.getElementById("status").textContent = "The explorer's changes cannot be drawn: " + e.message;
      }
    }
  }

  /** Takes in what changed: new blocks, and each changed villager's chain from the first position that changed. */
  function takeIn(changes) {
    if (changes.epoch !== state.epoch) {
      state.blocks.clear(); // another run of the explorer: what the page held is no evidence any more
      for (const v of state.villagers) v.hashes = [];
    }
    state.epoch = changes.epoch;
    state.version = changes.version;
    for (const { hash, block } of changes.blocks) {
      try {
        state.blocks.set(hash, PyJson.loads(block));
      } catch (e) {
        state.blocks.set(hash, block); // drawn as "not a block", as it came: the other blocks are still drawn
      }
    }
    const touched = [];
    for (const change of changes.villagers) {
      const v = state.villagers.find((one) => one.name === change.name);
      if (!v) continue;
      touched.push(v);
      if (change.hashes.length || change.length < (v.hashes || []).length) v.changedAt = new Date();
      v.hashes = (v.hashes || []).slice(0, change.from).concat(change.hashes);
      v.chain = v.hashes.map((hash) => state.blocks.get(hash));
      v.up = change.up;
      v.problem = change.problem;
      // B8 to B13 have no mempool route: the page shows what it sent instead.
      v.pendingRoute = change.pending_status === 200 ? true : change.pending_status === 404 ? false : v.pendingRoute;
      if (typeof change.pending === "string" && change.pending !== v.pendingText) {
        v.pendingText = change.pending;
        const list = answerJson({ body: change.pending });
        v.pending = list instanceof Map && Array.isArray(list.get("pending")) ? list.get("pending") : [];
      }
    }
    forgetBlocksNoOneHolds();
    document.body.dataset.version = String(state.version);
    render();
    if (state.payment && touched.includes(state.payment.villager)) followPayment();
  }

  /** The page keeps the stale blocks the server still sends, up to as many as the server keeps. */
  function forgetBlocksNoOneHolds() {
    const held = new Set(state.villagers.flatMap((v) => v.hashes || []));
    const stale = [...state.blocks.keys()].filter((hash) => !held.has(hash));
    for (const hash of stale.slice(0, Math.max(0, stale.length - STALE_KEPT))) state.blocks.delete(hash);
  }

  // ---- drawing ----

  function render() {
    const hashesAt = (position) => state.villagers.filter((v) => v.up && v.hashes).map((v) => v.hashes[position]);
    // Each villager is drawn on its own: whatever one of them sent, the others are still drawn.
    for (const v of state.villagers) {
      try {
        const f = features(v);
        v.ui.badge.className = "badge " + (v.up ? "up" : v.up === false ? "down" : "unknown");
        v.ui.badge.textContent = v.up ? "answers" : v.up === false ? "does not answer" : "asking…";
        v.ui.badge.title = v.problem || "";
        v.ui.features.textContent = labels(v, f);
        v.ui.fee.hidden = f.fees !== true;
        v.ui.balance.hidden = f.signed !== true && f.coins !== true;
        v.ui.balanceButton.textContent = f.coins ? "Coins" : "Balance";
        renderNeighbours(v);
        renderPending(v, f);
        renderStrip(v, f, hashesAt);
      } catch (e) {
        v.ui.features.textContent = "its chain cannot be drawn: " + e.message;
      }
    }
    try {
      renderTree();
    } catch (e) {
      document.getElementById("tree-note").textContent = "The tree cannot be drawn: " + e.message;
    }
    const changes = state.villagers.map((v) => v.changedAt).filter(Boolean).sort((a, b) => b - a);
    document.getElementById("status").textContent = "Following " + state.villagers.length + " villager"
      + (state.villagers.length === 1 ? "" : "s") + (changes.length ? "; last change seen at " + changes[0].toISOString().slice(11, 19) + " UTC" : "");
    if (state.picked) {
      try {
        renderBlock();
      } catch (e) {
        document.getElementById("block-title").textContent = "This block cannot be drawn: " + e.message;
      }
    }
  }

  // ---- the village as one tree ----

  /**
   * Every block the page holds, once: its parent (the block its previous_hash names, when the page
   * holds it), its height, which villagers' tips it is, and whether any villager holds it at all.
   */
  function treeOf() {
    const nodes = new Map();
    for (const [hash, block] of state.blocks) nodes.set(hash, { hash, block, tips: [], held: false, children: 0 });
    for (const v of state.villagers) {
      const hashes = v.hashes || [];
      hashes.forEach((hash, position) => {
        const node = nodes.get(hash);
        if (node) { node.held = true; node.height = position; }
      });
      const tip = nodes.get(hashes[hashes.length - 1]);
      if (tip) tip.tips.push(v.name);
    }
    for (const node of nodes.values()) {
      const previous = node.block instanceof Map ? node.block.get("previous_hash") : undefined;
      node.parent = typeof previous === "string" && previous !== node.hash ? nodes.get(previous) || null : null;
      if (node.parent) node.parent.children++;
    }
    // A block no villager holds is as high as its parent and one; without a parent, as its index says.
    const heightOf = (node) => {
      const path = [];
      let at = node;
      while (at.height === undefined && at.parent && !path.includes(at)) { path.push(at); at = at.parent; }
      if (at.height === undefined) {
        const index = at.block instanceof Map ? at.block.get("index") : undefined;
        at.height = typeof index === "bigint" && index >= 1n && index < 1000000000n ? Number(index) - 1 : 0;
      }
      for (let i = path.length - 1; i >= 0; i--) path[i].height = path[i].parent.height + 1;
      return node.height;
    };
    for (const node of nodes.values()) heightOf(node);
    return nodes;
  }

  /**
   * Draws the tree: a row (lane) per branch, the longest chain first; each block once, linked to its
   * parent; each villager's tip marked; blocks no villager holds, and orphans, grey.
   */
  function renderTree() {
    const nodes = treeOf();
    const top = Math.max(0, ...[...nodes.values()].map((node) => node.height));
    const first = Math.max(0, top - TREE_HEIGHTS + 1);
    const lanes = [];
    const place = (node) => {
      if (!node || node.lane !== undefined || node.height < first) return false;
      node.lane = lanes.length;
      return true;
    };
    // Each villager's chain in turn, longest first: the blocks it brings that no lane holds yet make a branch.
    const chains = state.villagers.filter((v) => (v.hashes || []).length).sort((a, b) => b.hashes.length - a.hashes.length);
    for (const v of chains) {
      let opened = false;
      for (let position = Math.max(0, first); position < v.hashes.length; position++) {
        const node = nodes.get(v.hashes[position]);
        if (node && node.lane === undefined && node.height >= first) {
          node.lane = lanes.length;
          opened = true;
        }
      }
      if (opened) lanes.push(v.name);
    }
    // Then the branches no villager holds any longer, from each stale tip back to where it meets a lane.
    const staleTips = [...nodes.values()].filter((node) => !node.held && node.children === 0 && node.height >= first)
      .sort((a, b) => b.height - a.height);
    for (const tip of staleTips) {
      let at = tip;
      let opened = false;
      while (place(at)) { opened = true; at = at.parent; }
      if (opened) lanes.push("");
    }
    const drawn = [...nodes.values()].filter((node) => node.lane !== undefined && node.lane < TREE_LANES);
    const x = (height) => 12 + (height - first) * TREE_STEP_X;
    const y = (lane) => 10 + lane * TREE_STEP_Y;
    const width = x(top) + TREE_BLOCK_W + 12 + 8 * Math.max(0, ...drawn.map((node) => node.tips.join(" ").length));
    const picture = svg("svg", { id: "tree-picture", width, height: y(Math.min(lanes.length, TREE_LANES)) + 4, role: "group",
      "aria-label": "the village's blocks as one tree" });
    for (const node of drawn) {
      const middle = y(node.lane) + TREE_BLOCK_H / 2;
      const from = node.parent && node.parent.lane !== undefined && node.parent.lane < TREE_LANES
        ? [x(node.parent.height) + TREE_BLOCK_W, y(node.parent.lane) + TREE_BLOCK_H / 2] : node.height > first ? [x(node.height) - 14, middle] : null;
      if (from) {
        picture.append(svg("path", { className: "tree-link" + (node.held ? "" : " stale"),
          d: "M" + from[0] + " " + from[1] + " C" + (from[0] + 12) + " " + from[1] + " " + (x(node.height) - 12) + " " + middle + " " + x(node.height) + " " + middle }));
      }
    }
    for (const node of drawn) {
      const orphan = !node.parent && node.height > 0;
      const holder = state.villagers.find((v) => (v.hashes || []).includes(node.hash));
      const index = node.block instanceof Map ? raw(node.block.get("index"), 8) : "?";
      const label = "block " + index + " " + node.hash.slice(0, 8) + (node.tips.length ? ", tip of " + node.tips.join(", ") : "")
        + (node.held ? "" : orphan ? ", an orphan: its parent is no block here" : ", stale: no villager holds it");
      const open = () => {
        if (!holder) return;
        state.picked = { villager: holder, position: holder.hashes.indexOf(node.hash) };
        render();
      };
      const group = svg("g", { className: "tree-block" + (node.held ? "" : " stale") + (orphan ? " orphan" : "") + (node.tips.length ? " tip" : ""),
        "data-hash": node.hash, "data-height": node.height + 1, "data-tips": node.tips.join(" "), "data-stale": String(!node.held),
        "data-lane": node.lane, tabindex: holder ? 0 : undefined, role: holder ? "button" : "img", "aria-label": label,
        onclick: open, onkeydown: (event) => { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); open(); } } },
      svg("title", {}, label),
      svg("rect", { x: x(node.height), y: y(node.lane), width: TREE_BLOCK_W, height: TREE_BLOCK_H, rx: 5 }),
      svg("text", { x: x(node.height) + 6, y: y(node.lane) + 15, className: "index" }, "#" + index),
      svg("text", { x: x(node.height) + 6, y: y(node.lane) + 29, className: "mono" }, node.hash.slice(0, 6)));
      if (node.tips.length) {
        group.append(svg("text", { x: x(node.height) + TREE_BLOCK_W + 6, y: y(node.lane) + TREE_BLOCK_H / 2 + 5, className: "tips" }, node.tips.join(" ")));
      }
      picture.append(group);
    }
    const hidden = lanes.length - Math.min(lanes.length, TREE_LANES);
    document.getElementById("tree-drawing").replaceChildren(picture);
    document.getElementById("tree-note").textContent = (first > 0 ? "Heights " + (first + 1) + " to " + (top + 1) + "; the "
      + first + " blocks below are in each villager's row. " : "") + lanes.length + " branch" + (lanes.length === 1 ? "" : "es")
      + (hidden ? " (the " + hidden + " oldest stale ones not drawn)" : "") + ".";
  }

  /** An SVG element, as el makes an HTML one. */
  function svg(tag, attributes = {}, ...children) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === undefined || value === null) continue;
      if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name === "className" ? "class" : name, String(value));
    }
    for (const child of children.flat()) node.append(child instanceof Node ? child : String(child));
    return node;
  }

  function renderStrip(v, f, hashesAt) {
    const strip = v.ui.strip;
    const focused = document.activeElement && strip.contains(document.activeElement) ? document.activeElement.dataset.position : null;
    strip.replaceChildren();
    (Array.isArray(v.chain) ? v.chain : []).forEach((block, position) => {
      if (!(block instanceof Map)) {
        strip.append(el("div", { className: "card fork", "data-position": position, "data-hash": v.hashes[position] },
          el("div", { className: "index" }, "#" + (position + 1)), el("div", { className: "mono" }, "not a block: " + raw(block))));
        return;
      }
      const everyone = hashesAt(position);
      const shared = everyone.length === state.villagers.length && everyone.every((h) => h === v.hashes[position]);
      const picked = state.picked && state.picked.villager === v && state.picked.position === position;
      const transactions = block.get("transactions") || [];
      const card = el("button", {
        type: "button",
        className: "card" + (shared ? " shared" : " fork") + (picked ? " picked" : ""),
        "data-position": position,
        "data-hash": v.hashes[position],
        "aria-label": "Villager " + v.name + ", block " + block.get("index") + (shared ? ", shared by every villager" : ", not shared"),
        onclick: () => { state.picked = { villager: v, position }; render(); },
      },
      el("div", { className: "index" }, "#" + raw(block.get("index"))),
      el("div", { className: "mono" }, "hash " + short(v.hashes[position])),
      el("div", { className: "mono" }, "prev " + short(block.get("previous_hash"))),
      el("div", {}, f.nonceKey + " " + raw(block.get(f.nonceKey))),
      el("div", {}, Array.isArray(transactions) ? transactions.length + " transaction" + (transactions.length === 1 ? "" : "s") : "transactions " + raw(transactions)),
      el("div", { className: "time" }, time(block.get("timestamp"))));
      strip.append(card);
    });
    if (focused !== null) {
      const again = strip.querySelector('[data-position="' + focused + '"]');
      if (again) again.focus();
    }
  }

  function renderNeighbours(v) {
    const list = v.ui.neighbours;
    list.replaceChildren();
    if (!v.neighbours) {
      list.append(el("li", {}, "not known yet: a node lists its neighbours when one registers them (below)"));
      return;
    }
    for (const address of v.neighbours) {
      const villager = state.villagers.find((other) => other.url === address);
      let how = "not drawn here";
      if (villager) how = "villager " + villager.name + (villager.up ? ", answers" : ", does not answer");
      if (address === state.copyAddress) how = "the explorer, serving " + (state.copy && state.copy.served ? "a tampered copy" : "no copy yet");
      list.append(el("li", {}, el("span", { className: "mono" }, address), " (" + how + ")"));
    }
  }

  function renderPending(v, f) {
    const box = v.ui.pending;
    box.replaceChildren();
    if (f.pendingRoute) {
      const pending = v.pending || [];
      // From B15 on each payment names the block it is projected for; B14's mempool is one list, in the miner's order.
      const projects = pending.some((p) => p.has("projected_block"));
      box.append(el("div", {}, pending.length + " payment" + (pending.length === 1 ? "" : "s") + " in the mempool, "
        + (projects ? "in the blocks the miner would make:" : "in the order the miner takes them:")));
      const blocks = new Map();
      for (const p of pending) {
        const k = projects ? "block " + p.get("projected_block") : "the miner's order";
        if (!blocks.has(k)) blocks.set(k, []);
        blocks.get(k).push(p);
      }
      const rates = pending.map((p) => Number(PyJson.dumps(p.get("fee_rate"))));
      const top = Math.max(1e-9, ...rates);
      const row = el("div", { className: "projected" });
      for (const [k, payments] of blocks) {
        const bytes = payments.reduce((sum, p) => sum + Number(p.get("bytes")), 0);
        const squares = payments.map((p) => {
          const side = Math.max(8, Math.min(56, Math.round(Math.sqrt(Number(p.get("bytes"))) * 1.6)));
          const rate = Number(PyJson.dumps(p.get("fee_rate")));
          const hue = Math.round(220 - 220 * (rate / top)); // blue pays least, red most
          const label = "fee " + PyJson.dumps(p.get("fee")) + ", " + p.get("bytes") + " bytes, fee rate " + PyJson.dumps(p.get("fee_rate"));
          const id = typeof p.get("id") === "string" ? p.get("id") : null;
          return el("button", { type: "button", className: "square", title: label, "aria-label": label + (id ? ": follow it" : ""),
            onclick: id ? () => pickPayment(v, id) : undefined,
            style: "width:" + side + "px;height:" + side + "px;background:hsl(" + hue + ",70%,55%)" });
        });
        row.append(el("div", { className: "next-block", title: projects ? "projected " + k : k },
          el("div", { style: "flex-basis:100%;font-size:0.75rem" }, k + ": " + payments.length + ", " + bytes + " bytes"), squares));
      }
      box.append(row);
      return;
    }
    const waiting = sentAndWaiting(v);
    box.append(el("div", {}, waiting.length ? "Sent from this page, not in its chain yet:" : "No payment sent from this page waits here."));
    box.append(el("ul", {}, waiting.map((p) => el("li", {}, p.sender + " → " + p.recipient + ": " + p.amount,
      p.id ? [" ", el("button", { type: "button", className: "confirmations", onclick: () => pickPayment(v, p.id) }, "follow " + p.id.slice(0, 8) + "…")] : null))));
  }

  /** What a payment says, as one text; a field it lacks (a transaction of coins has no sender) is null. */
  const paymentKey = (...fields) => PyJson.dumps(fields.map((field) => (field === undefined ? null : field)));

  /** The payments the page sent to v that v's chain does not hold yet (by id, or else by what they say). */
  function sentAndWaiting(v) {
    const inChain = new Map();
    const ids = new Set();
    for (const block of v.chain || []) {
      const transactions = block instanceof Map ? block.get("transactions") : null;
      for (const tx of Array.isArray(transactions) ? transactions : []) {
        if (!(tx instanceof Map)) continue;
        if (tx.has("id")) ids.add(tx.get("id"));
        const key = paymentKey(tx.get("sender"), tx.get("recipient"), tx.get("amount"));
        inChain.set(key, (inChain.get(key) || 0) + 1);
      }
    }
    return v.sent.filter((p) => {
      if (p.id) return !ids.has(p.id);
      const key = paymentKey(p.body.get("sender"), p.body.get("recipient"), p.body.get("amount"));
      const count = inChain.get(key) || 0;
      if (count > 0) {
        inChain.set(key, count - 1);
        return false;
      }
      return true;
    });
  }

  function renderBlock() {
    const { villager: v, position } = state.picked;
    const block = v.chain && v.chain[position];
    const section = document.getElementById("block");
    if (!(block instanceof Map)) { section.hidden = true; return; }
    section.hidden = false;
    document.getElementById("block-title").textContent = "Block #" + block.get("index") + " of villager " + v.name;
    const body = document.getElementById("block-body");
    const f = features(v);
    const transactions = block.get("transactions") || [];
    // On a node of signed payments or coins an address is a key: a button that asks this villager its balance or coins.
    const party = (address) => ((f.signed || f.coins) && typeof address === "string" && ADDRESS.test(address)
      ? el("button", { type: "button", className: "address mono", title: address, "aria-label": (f.coins ? "coins of " : "balance of ") + address + " on villager " + v.name,
        onclick: () => askBalance(v, address) }, short(address))
      : String(address));
    const confirmations = (id) => (id
      ? el("button", { type: "button", className: "confirmations", onclick: () => pickPayment(v, id) }, "confirmations of " + short(id)) : "no id");
    const table = f.coins ? coinTable(v, transactions, party, confirmations) : paymentTable(f, transactions, party, confirmations);
    body.replaceChildren(
      el("p", { className: "mono" }, "hash " + v.hashes[position], el("br"), "previous_hash " + PyJson.dumps(block.get("previous_hash")),
        el("br"), f.nonceKey + " " + PyJson.dumps(block.get(f.nonceKey)), el("br"), "timestamp " + PyJson.dumps(block.get("timestamp"))),
      table,
      el("p", {}, el("button", { type: "button", id: "open-copy", onclick: () => openCopy(v, position) },
        "Open a copy of " + v.name + "'s chain to tamper with block #" + block.get("index"))));
  }

  /** A block's payments (B8 to B16): sender, recipient, amount, fee, id, and from B16 the explorer's verdict on each signature. */
  function paymentTable(f, transactions, party, confirmations) {
    const rows = transactions.map((tx) => {
      const id = tx instanceof Map && tx.has("id") ? tx.get("id") : null;
      return el("tr", {},
        el("td", {}, party(tx.get("sender"))), el("td", {}, party(tx.get("recipient"))),
        el("td", {}, PyJson.dumps(tx.get("amount"))), el("td", {}, tx.has("fee") ? PyJson.dumps(tx.get("fee")) : ""),
        el("td", {}, confirmations(id)),
        f.signed ? el("td", {}, signatureMark(tx)) : null);
    });
    if (f.signed) {
      const signed = transactions.filter((tx) => tx instanceof Map && tx.has("signature")).map((tx) => PyJson.dumps(tx));
      askVerdicts(signed, "/api/signatures", "payments", (batch) => batch.length <= VERDICTS_PER_ASK);
    }
    const headings = ["sender", "recipient", "amount", "fee", "id"].concat(f.signed ? ["signature, checked by the explorer"] : []);
    return el("table", {}, el("thead", {}, el("tr", {}, headings.map((h) => el("th", {}, h)))), el("tbody", {}, rows));
  }

  /** Can tx be drawn as coins: an object whose inputs and outputs are lists of objects? The explorer's server checks the rest. */
  function coinShaped(tx) {
    const objects = (list) => Array.isArray(list) && list.every((item) => item instanceof Map);
    return tx instanceof Map && objects(tx.get("inputs")) && objects(tx.get("outputs"));
  }

  /** Every transaction of v's chain by the id the chain writes, found again only when the chain changes. */
  function transactionsById(v) {
    if (v.byIdOf === v.chain) return v.byId;
    const byId = new Map();
    for (const block of Array.isArray(v.chain) ? v.chain : []) {
      const transactions = block instanceof Map ? block.get("transactions") : null;
      for (const tx of Array.isArray(transactions) ? transactions : []) {
        if (coinShaped(tx) && typeof tx.get("id") === "string" && !byId.has(tx.get("id"))) byId.set(tx.get("id"), tx);
      }
    }
    v.byIdOf = v.chain;
    v.byId = byId;
    return byId;
  }

  /** The coin an input spends, {maker, output}, when the chain drawn holds the transaction that made it; else null. */
  function spentCoin(byId, input) {
    const maker = byId.get(input.get("txid"));
    const index = input.get("index");
    if (!maker || typeof index !== "bigint" || index < 0n || index >= BigInt(maker.get("outputs").length)) return null;
    return { maker, output: maker.get("outputs")[Number(index)] };
  }

  /** The fee, in − out, when every coin spent is found and every amount is a whole number; else why not. */
  function coinFee(tx, spent) {
    if (tx.get("inputs").length === 0) return "none: new coins";
    if (spent.includes(null)) return "not known: a coin it spends is in no block drawn here";
    const amounts = (list) => list.map((coin) => coin.get("amount"));
    const coinsIn = amounts(spent.map((coin) => coin.output));
    const coinsOut = amounts(tx.get("outputs"));
    if (![...coinsIn, ...coinsOut].every((amount) => typeof amount === "bigint")) return "not known: an amount is no whole number";
    const sum = (list) => list.reduce((total, amount) => total + amount, 0n);
    return String(sum(coinsIn) - sum(coinsOut));
  }

  /**
   * A block's transactions of coins (B17): each coin in (txid:index, and its amount and owner when the
   * chain drawn holds the coin), each coin out, the fee, and the explorer's verdict on the inputs' signatures.
   */
  function coinTable(v, transactions, party, confirmations) {
    const byId = transactionsById(v);
    const asks = [];
    const rows = transactions.map((tx) => {
      if (!coinShaped(tx)) {
        return el("tr", { className: "not-coins" }, el("td", { colspan: 5 },
          el("span", { className: "signature bad", "data-verdict": "not a coin transaction" }, "✗ not a coin transaction: " + raw(tx, 120))));
      }
      const spent = tx.get("inputs").map((input) => spentCoin(byId, input));
      const ask = PyJson.dumps(new Map([["transaction", tx], ["spent", spent.map((coin) => (coin ? coin.maker : null))]]));
      asks.push({ key: ask, spent: spent.length });
      const coinsIn = tx.get("inputs").map((input, n) => el("li", { className: "coin-in" },
        el("span", { className: "mono" }, short(input.get("txid")) + ":" + raw(input.get("index"))),
        spent[n] ? [" ", raw(spent[n].output.get("amount")), " of ", party(spent[n].output.get("address"))] : " (not in this chain)"));
      const coinsOut = tx.get("outputs").map((output) => el("li", { className: "coin-out" }, party(output.get("address")), " ", raw(output.get("amount"))));
      const id = typeof tx.get("id") === "string" ? tx.get("id") : null;
      return el("tr", { className: "coins" },
        el("td", {}, confirmations(id)),
        el("td", {}, coinsIn.length ? el("ul", {}, coinsIn) : "none: new coins"),
        el("td", {}, el("ul", {}, coinsOut)),
        el("td", { className: "fee" }, coinFee(tx, spent)),
        el("td", {}, coinMark(state.verdicts.get(ask))));
    });
    const spentOf = new Map(asks.map((a) => [a.key, a.spent]));
    askVerdicts(asks.map((a) => a.key), "/api/coin-signatures", "transactions", (batch) => batch.length <= VERDICTS_PER_ASK
      && batch.reduce((total, key) => total + spentOf.get(key), 0) <= SPENT_PER_ASK);
    const headings = ["id", "coins in", "coins out", "fee (in − out)", "signatures, checked by the explorer"];
    return el("table", {}, el("thead", {}, el("tr", {}, headings.map((h) => el("th", {}, h)))), el("tbody", {}, rows));
  }

  /** The explorer's verdict on a transaction of coins: each input against the owner of the coin it spends. */
  function coinMark(verdict) {
    if (verdict === undefined || verdict === ASKING) return el("span", { className: "signature" }, "checking…");
    if (verdict.verdict === "new coins") return el("span", { className: "signature", "data-verdict": verdict.verdict }, "new coins: no one signs them");
    const good = verdict.verdict === "verified";
    return el("span", { className: "signature " + (good ? "ok" : "bad"), title: verdict.why, "data-verdict": verdict.verdict },
      good ? "✓ verified" : "✗ " + verdict.verdict + ": " + verdict.why);
  }

  /**
   * What the explorer's server made of a payment's signature. It verifies each payment from its
   * fields with B16's rules; nothing the villager writes beside them counts.
   */
  function signatureMark(tx) {
    if (!(tx instanceof Map) || !tx.has("signature")) {
      if (tx instanceof Map && tx.get("sender") === "0") return el("span", { className: "signature" }, "new coins: no one signs them");
      return el("span", { className: "signature bad", "data-verdict": "not a signed payment" }, "✗ not a signed payment: it has no signature");
    }
    const verdict = state.verdicts.get(PyJson.dumps(tx));
    if (verdict === undefined || verdict === ASKING) return el("span", { className: "signature" }, "checking…");
    const good = verdict.verdict === "verified";
    return el("span", { className: "signature " + (good ? "ok" : "bad"), title: verdict.why, "data-verdict": verdict.verdict },
      good ? "✓ verified" : "✗ " + verdict.verdict + ": " + verdict.why);
  }

  /**
   * Asks the explorer's server (`route`, the JSON texts under `field`) for the verdicts the page does
   * not hold yet, in batches it takes (`fits`), then draws them.
   */
  async function askVerdicts(keys, route, field, fits) {
    const wanted = [...new Set(keys)].filter((key) => !state.verdicts.has(key));
    if (!wanted.length) return;
    if (state.verdicts.size + wanted.length > 5000) state.verdicts.clear();
    for (const key of wanted) state.verdicts.set(key, ASKING);
    const batches = [];
    for (const key of wanted) {
      const last = batches[batches.length - 1];
      if (last && fits(last.concat([key]))) last.push(key);
      else batches.push([key]);
    }
    for (const batch of batches) {
      let verdicts = [];
      let problem = "the explorer does not answer: is it still running?";
      try {
        const response = await fetch(route, { method: "POST", headers: { "Content-Type": "application/json" },
          body: "{\"" + field + "\": [" + batch.join(", ") + "]}" });
        const answer = JSON.parse(await response.text());
        if (response.status === 200 && Array.isArray(answer.verdicts)) verdicts = answer.verdicts;
        else problem = "the explorer: " + (answer.error || response.status);
      } catch (e) {
        // the problem stays as said above
      }
      batch.forEach((key, n) => state.verdicts.set(key, verdicts[n] || { verdict: "not checked", why: problem }));
    }
    render();
  }

  /** Asks villager v, through the explorer, what an address holds: the villager's own answer, shown as it says it. */
  async function askBalance(v, address) {
    v.ui.balanceAddress.value = address;
    if (!ADDRESS.test(address)) {
      v.ui.balanceOut.textContent = "An address is 64 lower-case hex digits (an x-only public key).";
      return;
    }
    if (features(v).coins) {
      await askCoins(v, address);
      return;
    }
    const path = "/balance/" + address;
    const reply = await ask(v, path);
    v.ui.show("GET " + path, reply);
    const json = answerJson(reply);
    v.ui.balanceOut.textContent = reply.status === 200 && json instanceof Map
      ? "Villager " + v.name + " says " + short(address) + " holds " + raw(json.get("confirmed")) + " confirmed, " + raw(json.get("pending"))
        + " after its pending payments; its next payment's sequence is " + raw(json.get("next_sequence")) + "."
      : "No balance: " + (reply.status ? "villager " + v.name + " answered HTTP " + reply.status : reply.body);
  }

  /** Asks villager v, through the explorer, an address's coins (B17): each coin as the villager lists it. */
  async function askCoins(v, address) {
    const path = "/coins/" + address;
    const reply = await ask(v, path);
    v.ui.show("GET " + path, reply);
    const json = answerJson(reply);
    const coins = json instanceof Map && Array.isArray(json.get("coins")) ? json.get("coins") : null;
    if (reply.status !== 200 || !coins) {
      v.ui.balanceOut.textContent = "No coins: " + (reply.status ? "villager " + v.name + " answered HTTP " + reply.status : reply.body);
      return;
    }
    const listed = coins.slice(0, COINS_LISTED).map((coin) => el("li", { className: "coin" }, coin instanceof Map
      ? [el("span", { className: "mono" }, short(coin.get("txid")) + ":" + raw(coin.get("index"))), " " + raw(coin.get("amount")) + ", "
        + raw(coin.get("confirmations")) + " confirmations, " + (coin.get("spendable") === true ? "spendable" : "not spendable yet")]
      : "not a coin: " + raw(coin)));
    v.ui.balanceOut.replaceChildren("Villager " + v.name + " says " + short(address) + " holds " + raw(json.get("balance")) + " in "
      + coins.length + " coin" + (coins.length === 1 ? "" : "s") + (coins.length > COINS_LISTED ? " (the first " + COINS_LISTED + " below)" : "") + ":",
    el("ul", { className: "coins" }, listed));
  }

  async function pickPayment(v, id) {
    state.payment = { villager: v, id };
    await followPayment();
  }

  async function followPayment() {
    const { villager: v, id } = state.payment;
    const answer = await ask(v, "/transactions/" + id);
    const out = document.getElementById("confirmations");
    document.getElementById("payment").hidden = false;
    const json = answerJson(answer);
    let summary = "";
    if (json instanceof Map && json.get("status") === "confirmed") {
      summary = "In block " + json.get("block") + ": " + json.get("confirmations") + " confirmations on villager " + v.name + "\n";
    } else if (json instanceof Map && json.has("status")) {
      summary = "Payment " + json.get("status") + " on villager " + v.name + "\n";
    }
    out.textContent = summary + "GET /transactions/" + id + "\n" + shown(answer);
  }

  // ---- the villagers' panels and their buttons ----

  function buildVillager(v) {
    const answer = el("pre", { className: "answer", "aria-live": "polite" }, "(the answer to a button shows here, as the node sends it)");
    const show = (request, reply) => { answer.textContent = request + "\n" + shown(reply); };
    const others = state.villagers.filter((o) => o !== v).map((o) => o.url).join(", ");

    const mine = el("button", { type: "button", className: "mine", onclick: async () => {
      answer.textContent = "GET /mine …";
      show("GET /mine", await ask(v, "/mine"));
    } }, "Mine");
    const resolve = el("button", { type: "button", className: "resolve", onclick: async () => {
      answer.textContent = "GET /nodes/resolve …";
      show("GET /nodes/resolve", await ask(v, "/nodes/resolve"));
    } }, "Resolve");

    const sender = el("input", { name: "sender", value: "小美", "aria-label": "sender" });
    const recipient = el("input", { name: "recipient", value: "大華", "aria-label": "recipient" });
    const amount = el("input", { name: "amount", value: "699", "aria-label": "amount", inputmode: "numeric" });
    const feeInput = el("input", { name: "fee", value: "0", "aria-label": "fee", inputmode: "numeric" });
    const fee = el("label", { hidden: true }, "fee", feeInput);
    const pay = el("form", { className: "pay", "aria-label": "Pay on villager " + v.name, onsubmit: async (event) => {
      event.preventDefault();
      const body = new Map([["sender", sender.value], ["recipient", recipient.value], ["amount", typed(amount.value)]]);
      if (!fee.hidden) body.set("fee", typed(feeInput.value));
      const reply = await ask(v, "/transactions/new", "POST", body);
      show("POST /transactions/new " + PyJson.dumps(body, { sortKeys: false }), reply);
      if (reply.status === 200 || reply.status === 201) {
        const json = answerJson(reply);
        const id = json instanceof Map && typeof json.get("id") === "string" ? json.get("id") : null;
        if (id) v.sawIds = true;
        v.sent.push({ body, id, sender: sender.value, recipient: recipient.value, amount: amount.value });
        render();
      }
    } },
    el("label", {}, "sender", sender), el("label", {}, "recipient", recipient), el("label", {}, "amount", amount), fee,
    el("button", { type: "submit", className: "pay-button" }, "Pay"));

    const balanceAddress = el("input", { name: "balance-address", "aria-label": "address whose balance to ask", placeholder: "64 hex digits",
      style: "width:14rem" });
    const balanceOut = el("div", { className: "balance-answer", "aria-live": "polite" },
      "Asked of the villager (GET /balance/<address>, or /coins/<address> on a village of coins, passed on by the explorer):"
      + " the explorer does not add up the chain itself.");
    const balanceButton = el("button", { type: "submit", className: "balance-button" }, "Balance");
    const balance = el("form", { className: "balance", hidden: true, "aria-label": "Balance on villager " + v.name, onsubmit: (event) => {
      event.preventDefault();
      askBalance(v, balanceAddress.value.trim());
    } }, el("label", {}, "address", balanceAddress), balanceButton, balanceOut);

    const nodes = el("input", { name: "nodes", value: others, "aria-label": "neighbours to register", style: "width:14rem" });
    const register = el("form", { className: "register", "aria-label": "Register neighbours on villager " + v.name, onsubmit: async (event) => {
      event.preventDefault();
      const list = nodes.value.split(/[\s,]+/).filter(Boolean);
      const body = new Map([["nodes", list]]);
      const reply = await ask(v, "/nodes/register", "POST", body);
      show("POST /nodes/register " + PyJson.dumps(body, { sortKeys: false }), reply);
      rememberNeighbours(v, reply);
    } }, el("label", {}, "neighbours", nodes), el("button", { type: "submit", className: "register-button" }, "Register"));

    v.ui = {
      badge: el("span", { className: "badge unknown" }, "asking…"),
      features: el("div", { className: "features" }),
      neighbours: el("ul", { className: "neighbours" }),
      pending: el("div", { className: "pending" }),
      strip: el("div", { className: "strip", role: "list", "aria-label": "Villager " + v.name + "'s chain" }),
      fee, answer, show, balance, balanceAddress, balanceButton, balanceOut,
    };
    return el("article", { className: "villager", "aria-label": "Villager " + v.name },
      el("div", { className: "panel" },
        el("h3", {}, el("span", { className: "name" }, "Villager " + v.name), " ", el("span", { className: "mono" }, v.url), " ", v.ui.badge),
        v.ui.features,
        el("div", { className: "actions" }, mine, resolve),
        pay, balance, register,
        el("div", {}, "Neighbours:", v.ui.neighbours),
        v.ui.pending,
        answer),
      v.ui.strip);
  }

  function rememberNeighbours(v, reply) {
    const json = answerJson(reply);
    if (json instanceof Map && Array.isArray(json.get("total_nodes"))) {
      v.neighbours = json.get("total_nodes").map(String);
      render();
    }
  }

  // ---- tampering with a copy ----

  /** A copy of v's chain, to edit block `position` of it. */
  function openCopy(v, position) {
    const f = features(v);
    state.copy = { from: v, blocks: clone(v.chain), position, original: v.hashes.slice(), hashes: v.hashes.slice(),
      overBlock: f.overBlock === true, zeros: f.overBlock === true && f.zeros >= 1 ? f.zeros : 4, nonceKey: f.nonceKey, served: false, nonceOk: [] };
    renderTamper();
    recheckCopy();
    document.getElementById("copy-transactions").focus();
  }

  function renderTamper() {
    const copy = state.copy;
    const body = document.getElementById("tamper-body");
    const block = copy.blocks[copy.position];
    const editor = el("textarea", { id: "copy-transactions", "aria-label": "transactions of block #" + block.get("index") + " in the copy", spellcheck: "false",
      oninput: () => {
        try {
          const value = PyJson.loads(editor.value);
          if (!Array.isArray(value)) throw new PyJson.JsonError("the transactions are a JSON list [...]");
          block.set("transactions", value);
          error.textContent = "";
          recheckCopy();
        } catch (e) {
          error.textContent = "Not JSON yet: " + e.message;
        }
      } }, PyJson.dumps(block.get("transactions"), { sortKeys: false, indent: 2 }));
    const error = el("div", { className: "error", "aria-live": "polite" });
    const progress = el("progress", { id: "remine-progress", max: 1, value: 0, hidden: true });
    const zeros = el("input", { id: "copy-zeros", value: copy.zeros, inputmode: "numeric", "aria-label": "zeros the proof needs", style: "width:3rem" });
    const servedTo = el("div", { className: "actions" }, state.villagers.map((v) =>
      el("button", { type: "button", className: "offer", onclick: () => offerCopy(v) }, "Register the explorer with " + v.name + " and resolve")));
    body.replaceChildren(
      el("p", {}, "A copy of villager " + copy.from.name + "'s chain (" + copy.blocks.length + " blocks); editing block #" + block.get("index") + "'s transactions:"),
      editor, error,
      el("div", { id: "copy-strip", className: "strip", "aria-label": "the copy's chain" }),
      el("div", { id: "copy-verdict", role: "status" }),
      el("ul", { id: "copy-marks", className: "marks" }),
      el("div", { className: "actions" },
        el("button", { type: "button", id: "relink", onclick: relink }, "Re-link (recompute every previous_hash)"),
        el("label", {}, "zeros", zeros),
        // On the book's rules a nonce fits the nonce before it, not the block: nothing to search again.
        el("button", { type: "button", id: "remine", disabled: !copy.overBlock,
          title: copy.overBlock ? "" : "these nodes' proofs never saw the block: re-linking is all a forger needs",
          onclick: () => remine(Number(zeros.value)) }, "Re-mine (search nonces)"),
        progress,
        el("button", { type: "button", id: "serve-copy", onclick: serveCopy }, "Serve this copy to the village")),
      el("pre", { id: "tamper-answer", className: "answer", "aria-live": "polite" }, "(the explorer's and the villagers' answers show here)"),
      servedTo);
  }

  /** Recomputes the copy's hashes and marks every link and proof that fails. */
  async function recheckCopy() {
    const copy = state.copy;
    const hashes = [];
    for (const block of copy.blocks) hashes.push(await hashOf(block));
    copy.hashes = hashes;
    const marks = [];
    const strip = document.getElementById("copy-strip");
    strip.replaceChildren();
    let broken = 0;
    let proofsFail = 0;
    for (let i = 0; i < copy.blocks.length; i++) {
      const block = copy.blocks[i];
      if (i > 0) {
        const ok = block.get("previous_hash") === hashes[i - 1];
        if (!ok) {
          broken++;
          marks.push(el("li", { className: "broken" }, "link broken: block #" + block.get("index") + " says previous_hash " + short(block.get("previous_hash"))
            + ", but block #" + copy.blocks[i - 1].get("index") + " now hashes to " + short(hashes[i - 1])));
        }
        strip.append(el("span", { className: "link " + (ok ? "ok" : "broken"), title: ok ? "link holds" : "link broken", "aria-label": ok ? "link holds" : "link broken" }, ok ? "⟵" : "✗"));
      }
      let proof = true;
      if (i > 0 && copy.overBlock) proof = hashes[i].startsWith("0".repeat(copy.zeros));
      if (i > 0 && !copy.overBlock) {
        // The book's puzzle: sha256(f"{last_nonce}{nonce}") saw only the two nonces, never this block.
        const guess = PyJson.dumps(copy.blocks[i - 1].get(copy.nonceKey)) + PyJson.dumps(block.get(copy.nonceKey));
        proof = Sha256.ours(guess).startsWith("0".repeat(copy.zeros));
      }
      if (!proof) {
        proofsFail++;
        marks.push(el("li", { className: "broken" }, "proof fails: block #" + block.get("index") + (copy.overBlock
          ? " hashes to " + short(hashes[i]) + ", which does not start with " + copy.zeros + " zeros" : "'s nonce does not fit the one before")));
      }
      const changed = hashes[i] !== copy.original[i];
      strip.append(el("div", { className: "card " + (i > 0 && (!proof || block.get("previous_hash") !== hashes[i - 1]) ? "bad" : changed ? "good" : "shared"),
        "data-hash": hashes[i] },
        el("div", { className: "index" }, "#" + block.get("index") + (changed ? " (changed)" : "")),
        el("div", { className: "mono" }, "hash " + short(hashes[i])),
        el("div", { className: "mono" }, "prev " + short(block.get("previous_hash"))),
        el("div", {}, copy.nonceKey + " " + PyJson.dumps(block.get(copy.nonceKey)))));
    }
    document.getElementById("copy-marks").replaceChildren(...marks);
    const rule = copy.overBlock
      ? "On these nodes the proof covers the whole block: every changed block must be mined again."
      : "On the book's rules the nonces never saw the transactions: they still fit, and re-linking costs nothing.";
    document.getElementById("copy-verdict").textContent = (broken + proofsFail === 0
      ? "Every link holds and every proof passes: by the nodes' rules this copy is a valid chain. "
      : broken + " link" + (broken === 1 ? "" : "s") + " broken, " + proofsFail + " proof" + (proofsFail === 1 ? "" : "s") + " failing. ") + rule;
    document.getElementById("copy-verdict").dataset.broken = String(broken);
    document.getElementById("copy-verdict").dataset.failing = String(proofsFail);
  }

  /** Re-link: each block after the edited one points to its predecessor's new hash. Costs no work. */
  async function relink() {
    const copy = state.copy;
    for (let i = Math.max(1, copy.position + 1); i < copy.blocks.length; i++) {
      copy.blocks[i].set("previous_hash", await hashOf(copy.blocks[i - 1]));
    }
    await recheckCopy();
  }

  /**
   * Re-mine: from the edited block on, link each block to the one before and search a nonce that
   * gives its whole block a hash with `zeros` leading zeros, as a proof over the block asks.
   */
  async function remine(zeros) {
    const copy = state.copy;
    if (!(zeros >= 1 && zeros <= 8)) { document.getElementById("tamper-answer").textContent = "zeros: a number from 1 to 8"; return; }
    copy.zeros = zeros;
    const progress = document.getElementById("remine-progress");
    progress.hidden = false;
    const marker = "\u0000nonce\u0000";
    const expected = 16 ** zeros;
    const first = Math.max(1, copy.position);
    const target = "0".repeat(zeros);
    let tries = 0;
    for (let i = first; i < copy.blocks.length; i++) {
      const block = copy.blocks[i];
      block.set("previous_hash", await hashOf(copy.blocks[i - 1]));
      block.set(copy.nonceKey, marker);
      const [before, after] = PyJson.dumps(block).split(PyJson.dumps(marker));
      let nonce = 0;
      for (;;) {
        const end = nonce + 4000;
        for (; nonce < end; nonce++) {
          if (Sha256.ours(before + nonce + after).startsWith(target)) break;
        }
        if (nonce < end) break;
        tries += 4000;
        progress.value = ((i - first) + Math.min(0.99, (nonce / expected))) / (copy.blocks.length - first);
        progress.textContent = tries + " tries";
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      tries += nonce % 4000;
      block.set(copy.nonceKey, BigInt(nonce));
    }
    progress.value = 1;
    document.getElementById("tamper-answer").textContent = "Re-mined " + (copy.blocks.length - first) + " block(s) in about " + tries + " tries.";
    await recheckCopy();
  }

  async function serveCopy() {
    const copy = state.copy;
    const out = document.getElementById("tamper-answer");
    const response = await fetch("/api/copy", { method: "POST", headers: { "Content-Type": "application/json" },
      body: PyJson.dumps(new Map([["chain", copy.blocks]]), { sortKeys: false }) });
    out.textContent = "POST /api/copy\nHTTP " + response.status + "\n" + await response.text();
    copy.served = response.status === 200;
    render();
  }

  /** Registers the explorer (serving the copy) with v, then asks v to resolve: the node's verdict. */
  async function offerCopy(v) {
    const out = document.getElementById("tamper-answer");
    if (!state.copy.served) await serveCopy();
    const body = new Map([["nodes", [state.copyAddress]]]);
    const registered = await ask(v, "/nodes/register", "POST", body);
    rememberNeighbours(v, registered);
    const resolved = await ask(v, "/nodes/resolve");
    out.textContent = "Villager " + v.name + ":\nPOST /nodes/register " + PyJson.dumps(body, { sortKeys: false }) + "\n" + shown(registered)
      + "\n\nGET /nodes/resolve\n" + shown(resolved);
    out.dataset.verdict = v.name + " " + resolved.status;
  }

  // ---- start ----

  async function start() {
    document.getElementById("crypto-path").textContent = Sha256.useWebCrypto
      ? "SHA-256 on this page: the browser's Web Crypto (a secure context). Re-mining uses the page's own SHA-256."
      : "SHA-256 on this page: the page's own JavaScript (this page is not a secure context, so the browser offers no Web Crypto).";
    const response = await fetch("/api/village");
    const village = JSON.parse(await response.text());
    state.copyAddress = village.copy_address;
    state.villagers = village.villagers.map((v) => ({ name: v.name, url: v.url, sent: [], up: undefined, pendingRoute: undefined }));
    const section = document.getElementById("village");
    for (const v of state.villagers) section.append(buildVillager(v));
    render();
    follow();
  }

  start();
})();
