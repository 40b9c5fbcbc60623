#!/usr/bin/env node
// tools/gen-map.mjs — writes build/map_shapes.c, the shapes of the map of Africa
// (src/formats/map.c draws them), to standard output:
//
//     npm ci --prefix tools/map && node tools/gen-map.mjs > build/map_shapes.c
//     node tools/gen-map.mjs --project -15.9,23.7     # where a point falls in the viewBox
//
// Input: Natural Earth's 1:50m admin-0 countries (public domain) as TopoJSON, from
// the npm package world-atlas (tools/map/package.json pins it), and
// data/countries.json for the 54 African Member States of the UN (their M49 code is
// the ISO 3166-1 numeric id that world-atlas uses) plus Western Sahara (732, EH).
//
// What it does, in order:
// - Somaliland, which Natural Earth draws apart without an id, is merged into Somalia
//   (the UN recognises one Somalia); Morocco and Western Sahara are cut again along
//   27°40'N as the UN draws them (see "Western Sahara" below); every other state is
//   Natural Earth's shape.
// - Every arc of the topology is projected once (Lambert azimuthal equal-area centred
//   on Africa, so that areas compare fairly), simplified (Douglas-Peucker, keeping the
//   arc's ends, which are the junctions shared with neighbours, so borders stay
//   gap-free) and quantised to integers in a fixed viewBox 0 0 W H.
// - Rings are stitched from the arcs; rings too small to see are dropped, except for
//   the small island states, which instead get a marker circle at their centroid
//   (marked: true in the output) so that each can be seen, hovered and clicked.
//   Far-off islets outside the frame (South Africa's Prince Edward Islands) are left out.
// - The rest of the world's land near Africa (Europe, the Middle East, Réunion,
//   Mayotte, ...) becomes one light, unlinked outline clipped to the frame.
//
// The output is deterministic (shapes sorted by ISO alpha-2) and checked: the run
// fails rather than write a map that lacks a state.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(HERE);
const require = createRequire(join(HERE, 'map', 'package.json'));
const { mergeArcs } = require('topojson-client');
const ATLAS = require.resolve('world-atlas/countries-50m.json');
const ATLAS_VERSION = require('world-atlas/package.json').version;

const W = 1000;            // viewBox width; the height follows from the frame
const MARGIN = 20;          // room for the markers of coastal islands
const EPS = 0.5;           // simplification tolerance, viewBox units
const EPS_LAND = 1.6;      // coarser for the neighbouring land
const MIN_RING_AREA = 3;   // viewBox units²: smaller rings are dropped (islets)
const MARK_AREA = 100;     // a state whose drawn area is below this gets a circle marker
                           // (src/formats/map.c draws it): the five island states, not Gambia
// The frame, in degrees: all of Africa and its island states (Cabo Verde in the
// west, Mauritius in the east: at 1:50m Natural Earth has Mauritius' main island
// and Seychelles' Mahé group only), not South Africa's sub-antarctic islets.
const FRAME = { west: -26, east: 64, south: -36, north: 38.5 };
const CENTRE = { lon: 18, lat: 2 };
const EH = { m49: '732', iso2: 'EH' };

function fail(msg) {
	process.stderr.write(`gen-map: ${msg}\n`);
	process.exit(1);
}

// ---- projection ------------------------------------------------------------------
const rad = Math.PI / 180;
const sin0 = Math.sin(CENTRE.lat * rad), cos0 = Math.cos(CENTRE.lat * rad);
function laea([lon, lat]) {
	const l = (lon - CENTRE.lon) * rad, p = lat * rad;
	const k = Math.sqrt(2 / (1 + sin0 * Math.sin(p) + cos0 * Math.cos(p) * Math.cos(l)));
	return [k * Math.cos(p) * Math.sin(l), -k * (cos0 * Math.sin(p) - sin0 * Math.cos(p) * Math.cos(l))];
}
function inFrame([lon, lat]) {
	return lon >= FRAME.west && lon <= FRAME.east && lat >= FRAME.south && lat <= FRAME.north;
}

// ---- inputs ----------------------------------------------------------------------
const topo = JSON.parse(readFileSync(ATLAS, 'utf8'));
const countries = JSON.parse(readFileSync(join(ROOT, 'data', 'countries.json'), 'utf8')).countries;
const members = countries.filter((c) => c.un_african_member);
if (members.length !== 54) fail(`data/countries.json has ${members.length} African Member States, not 54`);
const wanted = new Map(members.map((c) => [c.m49, c.code]));
wanted.set(EH.m49, EH.iso2);

const geoms = topo.objects.countries.geometries;
const byM49 = new Map();
for (const g of geoms) if (g.id) byM49.set(g.id, g);
const somaliland = geoms.find((g) => !g.id && g.properties && g.properties.name === 'Somaliland');
if (!somaliland) fail('world-atlas has no Somaliland shape to merge into Somalia');
byM49.set('706', mergeArcs(topo, [byM49.get('706'), somaliland]));
for (const [m49, iso2] of wanted) if (!byM49.has(m49)) fail(`no shape for ${iso2} (${m49})`);

// Arcs: delta-encoded, quantised; decode to lon/lat.
const [sx, sy] = topo.transform.scale, [tx, ty] = topo.transform.translate;
const lonlat = topo.arcs.map((arc) => {
	let x = 0, y = 0;
	return arc.map(([dx, dy]) => { x += dx; y += dy; return [x * sx + tx, y * sy + ty]; });
});

// ---- fitting: the box of the African shapes inside the frame ----------------------
function ringsOf(g) {
	if (g.type === 'Polygon') return g.arcs;
	if (g.type === 'MultiPolygon') return g.arcs.flat();
	return [];
}
const arcOf = (i) => (i < 0 ? ~i : i);
// ---- Western Sahara as the United Nations draws it ---------------------------------
// Natural Earth follows the de facto line: its "W. Sahara" is the strip east of the
// berm and Morocco's shape covers the rest of the territory.  The UN Geospatial
// Information Section's maps draw Western Sahara, a Non-Self-Governing Territory, as the
// whole territory south of 27°40'N, set apart from Morocco by a dashed line.  So the
// two shapes are merged and cut again along that parallel: Morocco is the part north of
// it, Western Sahara the part south.  Natural Earth puts the Algeria–Morocco–Western
// Sahara tripoint, where the line starts, at 27.657°N (1 km south of 27°40'): the cut
// follows the tripoint, so that the borders shared with Algeria stay whole arcs.
const MA = { m49: '504' };
const PARALLEL = 27 + 40 / 60;
const PARALLEL_STEP = 0.5; // degrees between the points of the new line (it projects curved)

// Arc i's points in the direction the ring walks it.
const oriented = (i) => (i < 0 ? lonlat[~i].slice().reverse() : lonlat[i]);
function addArc(pts) {
	lonlat.push(pts);
	return lonlat.length - 1;
}
// The pieces of arc i on either side of latitude lat, in the ring's order: an arc on
// one side keeps its index; one that crosses is cut into new arcs at the crossings.
function cutArc(i, lat) {
	const pts = oriented(i);
	const north = (p) => p[1] >= lat;
	const runs = [[pts[0]]];
	for (let k = 1; k < pts.length; k++) {
		const a = pts[k - 1], b = pts[k];
		if (north(a) !== north(b)) {
			const t = (lat - a[1]) / (b[1] - a[1]);
			const x = [a[0] + t * (b[0] - a[0]), lat];
			runs[runs.length - 1].push(x);
			runs.push([x]);
		}
		runs[runs.length - 1].push(b);
	}
	// A run that only touches the line (an arc that ends on it) is no piece; an arc
	// left with one piece lies on one side and keeps its index.
	const side = (run) => run.find((p) => p[1] !== lat);
	const kept = runs.filter(side);
	if (kept.length === 1) return [{ ref: i, north: north(side(kept[0])), cut: -1 }];
	return kept.map((run) => ({ ref: addArc(run), north: north(side(run)), cut: arcOf(i) }));
}
// A ring cut by a parallel that it crosses twice: its northern and southern rings,
// closed by one new arc along the parallel (the southern ring walks it backwards).
function splitRing(ring, lat) {
	const pieces = ring.flatMap((i) => cutArc(i, lat));
	const first = pieces.findIndex((p, k) => p.north && !pieces[(k + pieces.length - 1) % pieces.length].north);
	if (first < 0) fail('the cut of Morocco and Western Sahara does not cross the shape');
	const walk = pieces.slice(first).concat(pieces.slice(0, first));
	const south = walk.findIndex((p) => !p.north);
	if (walk.slice(south).some((p) => p.north)) fail('the parallel crosses Morocco and Western Sahara more than twice');
	const end = (p) => { const a = oriented(p.ref); return a[a.length - 1]; };
	const x1 = end(walk[south - 1]), x2 = end(walk[walk.length - 1]);
	const line = [x1];
	const steps = Math.ceil(Math.abs(x2[0] - x1[0]) / PARALLEL_STEP);
	for (let k = 1; k < steps; k++) line.push([x1[0] + (x2[0] - x1[0]) * k / steps, lat]);
	line.push(x2);
	const border = addArc(line);
	return {
		north: walk.slice(0, south).map((p) => p.ref).concat([border]),
		south: walk.slice(south).map((p) => p.ref).concat([~border]),
		border,
		cut: walk.filter((p) => p.cut >= 0).map((p) => p.cut), // the arcs cut, by their old index
	};
}
function unMorocco() {
	const both = mergeArcs(topo, [byM49.get(MA.m49), byM49.get(EH.m49)]);
	if (both.arcs.length !== 1 || both.arcs[0].length !== 1) fail('Morocco and Western Sahara do not merge into one ring');
	const ring = both.arcs[0][0];
	// The tripoint with Algeria: the junction on the merged ring nearest 27°40'.
	const ends = ring.map((i) => oriented(i)[0]);
	const tri = ends.reduce((a, b) => (Math.abs(b[1] - PARALLEL) < Math.abs(a[1] - PARALLEL) ? b : a));
	if (Math.abs(tri[1] - PARALLEL) > 0.02) fail(`no junction near 27°40'N on Morocco's outline (nearest ${tri[1]})`);
	const cut = splitRing(ring, tri[1]);
	// An arc that is cut must be the coast's: a border shared with a neighbour is
	// drawn by the neighbour whole.
	const shared = new Set();
	for (const [m49, g] of byM49) if (m49 !== MA.m49 && m49 !== EH.m49) for (const r of ringsOf(g)) for (const i of r) shared.add(arcOf(i));
	if (cut.cut.some((i) => shared.has(i)))
		fail('the cut along 27°40\'N splits a border shared with a neighbour');
	byM49.set(MA.m49, { type: 'Polygon', arcs: [cut.north] });
	byM49.set(EH.m49, { type: 'Polygon', arcs: [cut.south] });
	return cut.border;
}
const dashedArc = unMorocco();

const fit = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
for (const m49 of wanted.keys()) {
	for (const ring of ringsOf(byM49.get(m49))) {
		for (const i of ring) {
			for (const pt of lonlat[arcOf(i)]) {
				if (!inFrame(pt)) continue;
				const [x, y] = laea(pt);
				fit.x0 = Math.min(fit.x0, x); fit.x1 = Math.max(fit.x1, x);
				fit.y0 = Math.min(fit.y0, y); fit.y1 = Math.max(fit.y1, y);
			}
		}
	}
}
const scale = (W - 2 * MARGIN) / (fit.x1 - fit.x0);
const H = Math.ceil((fit.y1 - fit.y0) * scale + 2 * MARGIN);
const toView = ([x, y]) => [(x - fit.x0) * scale + MARGIN, (y - fit.y0) * scale + MARGIN];
const project = (pt) => toView(laea(pt));
// `node tools/gen-map.mjs --project LON,LAT …` prints the points in the viewBox as
// JSON and stops: tests place geography on the map with it (tests/http/map.test.mjs).
if (process.argv[2] === '--project') {
	process.stdout.write(JSON.stringify(process.argv.slice(3).map((s) => project(s.split(',').map(Number)))) + '\n');
	process.exit(0);
}

// ---- simplification ----------------------------------------------------------------
function segDist2(p, a, b) {
	const dx = b[0] - a[0], dy = b[1] - a[1];
	const len2 = dx * dx + dy * dy;
	let t = len2 ? ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2 : 0;
	t = Math.max(0, Math.min(1, t));
	const ex = a[0] + t * dx - p[0], ey = a[1] + t * dy - p[1];
	return ex * ex + ey * ey;
}
function dp(pts, eps) {
	if (pts.length <= 2) return pts.slice();
	const keep = new Uint8Array(pts.length);
	keep[0] = keep[pts.length - 1] = 1;
	const stack = [[0, pts.length - 1]];
	// A closed arc (an island) has equal ends: split it at its farthest point first.
	const a0 = pts[0], an = pts[pts.length - 1];
	if (a0[0] === an[0] && a0[1] === an[1]) {
		let far = 1, best = -1;
		for (let i = 1; i < pts.length - 1; i++) {
			const d = (pts[i][0] - a0[0]) ** 2 + (pts[i][1] - a0[1]) ** 2;
			if (d > best) { best = d; far = i; }
		}
		keep[far] = 1;
		stack.length = 0;
		stack.push([0, far], [far, pts.length - 1]);
	}
	const e2 = eps * eps;
	while (stack.length) {
		const [i, j] = stack.pop();
		let idx = -1, best = e2;
		for (let k = i + 1; k < j; k++) {
			const d = segDist2(pts[k], pts[i], pts[j]);
			if (d > best) { best = d; idx = k; }
		}
		if (idx >= 0) { keep[idx] = 1; stack.push([i, idx], [idx, j]); }
	}
	return pts.filter((_, i) => keep[i]);
}
const round = ([x, y]) => [Math.round(x), Math.round(y)];
function dedupe(pts) {
	const out = [];
	for (const p of pts) {
		const q = out[out.length - 1];
		if (!q || q[0] !== p[0] || q[1] !== p[1]) out.push(p);
	}
	return out;
}
const simplified = new Map();
function arcPoints(i, eps) {
	const key = `${arcOf(i)}:${eps}`;
	if (!simplified.has(key)) {
		const pts = lonlat[arcOf(i)].map(project);
		simplified.set(key, dedupe(dp(pts, eps).map(round)));
	}
	const pts = simplified.get(key);
	return i < 0 ? pts.slice().reverse() : pts;
}
function stitch(ring, eps) {
	const out = [];
	for (const i of ring) {
		const pts = arcPoints(i, eps);
		out.push(...(out.length ? pts.slice(1) : pts));
	}
	const pts = dedupe(out);
	if (pts.length > 1) {
		const a = pts[0], b = pts[pts.length - 1];
		if (a[0] === b[0] && a[1] === b[1]) pts.pop();
	}
	return pts;
}
function area(pts) {
	let s = 0;
	for (let i = 0, j = pts.length - 1; i < pts.length; j = i++)
		s += (pts[j][0] + pts[i][0]) * (pts[j][1] - pts[i][1]);
	return s / 2;
}
function centroid(pts) {
	let a = 0, cx = 0, cy = 0;
	for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
		const f = pts[j][0] * pts[i][1] - pts[i][0] * pts[j][1];
		a += f; cx += (pts[j][0] + pts[i][0]) * f; cy += (pts[j][1] + pts[i][1]) * f;
	}
	if (a === 0) {
		const n = pts.length;
		return [pts.reduce((s, p) => s + p[0], 0) / n, pts.reduce((s, p) => s + p[1], 0) / n];
	}
	return [cx / (3 * a), cy / (3 * a)];
}

// ---- path data -------------------------------------------------------------------
// "M x y l dx dy … z": relative, integer, a minus sign doubling as separator.
function joinNums(nums) {
	let s = '';
	for (const n of nums) s += (s === '' || n < 0 ? '' : ' ') + n;
	return s;
}
function ringPath(pts) {
	const d = [];
	for (let i = 1; i < pts.length; i++) d.push(pts[i][0] - pts[i - 1][0], pts[i][1] - pts[i - 1][1]);
	return `M${joinNums(pts[0])}l${joinNums(d)}z`;
}

// ---- the states ------------------------------------------------------------------
// A polygon is its outer ring plus holes; it is kept when its outer ring lies in the
// frame (the first point suffices) and is big enough to see.
function polygonsOf(g) {
	if (g.type === 'Polygon') return [g.arcs];
	if (g.type === 'MultiPolygon') return g.arcs;
	return [];
}
const shapes = [];
for (const [m49, iso2] of wanted) {
	const polys = [];
	for (const poly of polygonsOf(byM49.get(m49))) {
		const first = lonlat[arcOf(poly[0][0])][0];
		if (!inFrame(first)) continue;
		const rings = poly.map((r) => stitch(r, EPS));
		if (rings[0].length < 3) {
			polys.push({ rings: [], area: 0, c: centroid(rings[0].length ? rings[0] : [project(first)]) });
			continue;
		}
		polys.push({ rings, area: Math.abs(area(rings[0])), c: centroid(rings[0]) });
	}
	if (!polys.length) fail(`${iso2}: nothing inside the frame`);
	const total = polys.reduce((s, p) => s + p.area, 0);
	const marked = total < MARK_AREA;
	// Drop islets, but never a state's largest polygon, nor a marked state's polygons
	// (its islands are all it has).
	const largest = polys.reduce((a, b) => (b.area > a.area ? b : a));
	const kept = polys.filter((p) => p.rings.length && (marked || p === largest || p.area >= MIN_RING_AREA));
	let d = '';
	for (const p of kept) for (const r of p.rings) if (r.length >= 3) d += ringPath(r);
	// A marker sits at the centroid of the islands near the largest one (Seychelles'
	// outer islands and Mauritius' Rodrigues would pull it into open sea).
	let cx = 0, cy = 0;
	if (marked) {
		const near = polys.filter((p) => Math.hypot(p.c[0] - largest.c[0], p.c[1] - largest.c[1]) <= 40);
		const wsum = near.reduce((s, p) => s + p.area + 0.01, 0);
		cx = Math.round(near.reduce((s, p) => s + p.c[0] * (p.area + 0.01), 0) / wsum);
		cy = Math.round(near.reduce((s, p) => s + p.c[1] * (p.area + 0.01), 0) / wsum);
	}
	shapes.push({ iso2, m49, d, marked, cx, cy, area: total });
}
shapes.sort((a, b) => (a.iso2 < b.iso2 ? -1 : 1));
for (const iso2 of ['CV', 'ST', 'KM', 'MU', 'SC'])
	if (!shapes.find((s) => s.iso2 === iso2 && (s.marked || s.area >= MARK_AREA))) fail(`${iso2} not visible`);
for (const s of shapes) if (!s.d && !s.marked) fail(`${s.iso2}: empty shape`);

// ---- the neighbouring land ---------------------------------------------------------
// Everything but the African shapes, merged into one outline and clipped to the
// viewBox (Sutherland-Hodgman; the clip edges are not stroked).
const others = geoms.filter((g) => !(g.id && wanted.has(g.id)) && g !== somaliland);
const land = mergeArcs(topo, others);
function clip(pts) {
	const edges = [
		(p) => p[0] >= 0, (p) => p[0] <= W, (p) => p[1] >= 0, (p) => p[1] <= H,
	];
	const cut = [
		(a, b) => [0, a[1] + (b[1] - a[1]) * (0 - a[0]) / (b[0] - a[0])],
		(a, b) => [W, a[1] + (b[1] - a[1]) * (W - a[0]) / (b[0] - a[0])],
		(a, b) => [a[0] + (b[0] - a[0]) * (0 - a[1]) / (b[1] - a[1]), 0],
		(a, b) => [a[0] + (b[0] - a[0]) * (H - a[1]) / (b[1] - a[1]), H],
	];
	let out = pts;
	for (let e = 0; e < 4 && out.length; e++) {
		const inp = out;
		out = [];
		for (let i = 0; i < inp.length; i++) {
			const a = inp[(i + inp.length - 1) % inp.length], b = inp[i];
			const ina = edges[e](a), inb = edges[e](b);
			if (inb) {
				if (!ina) out.push(cut[e](a, b));
				out.push(b);
			} else if (ina) {
				out.push(cut[e](a, b));
			}
		}
	}
	return dedupe(out.map(round));
}
let landD = '';
for (const poly of land.arcs) {
	for (const ring of poly) {
		// Only land near the frame: far rings (the Americas, Asia) project wildly.
		const pts0 = ring.flatMap((i) => lonlat[arcOf(i)]);
		if (!pts0.some(([lon, lat]) => lon > FRAME.west - 15 && lon < FRAME.east + 15 && lat > FRAME.south - 10 && lat < FRAME.north + 15)) continue;
		const raw = [];
		for (const i of ring) {
			const arc = lonlat[arcOf(i)].slice();
			if (i < 0) arc.reverse();
			raw.push(...(raw.length ? arc.slice(1) : arc));
		}
		// Project, clip, then simplify the clipped ring (one shape: no shared borders).
		const clipped = clip(raw.map(project));
		if (clipped.length < 3) continue;
		const closed = clipped.concat([clipped[0]]);
		const pts = dedupe(dp(closed, EPS_LAND).map(round));
		pts.pop();
		if (pts.length < 3 || Math.abs(area(pts)) < MIN_RING_AREA * 4) continue;
		landD += ringPath(pts);
	}
}

// ---- the boundary not yet determined -------------------------------------------------
// The line between Morocco and Western Sahara, open (no z): map.c draws it dashed.
const dashedPts = arcPoints(dashedArc, EPS);
if (dashedPts.length < 2) fail('the line along 27°40\'N vanished');
const dashedD = ringPath(dashedPts).slice(0, -1);

// ---- C output ----------------------------------------------------------------------
function cstr(s, indent) {
	// Adjacent literals of at most ~100 characters; path data is plain ASCII.
	const parts = [];
	for (let i = 0; i < s.length; i += 100) parts.push(`"${s.slice(i, i + 100)}"`);
	return parts.length ? parts.join(`\n${indent}`) : '""';
}
const out = [];
out.push(`/* build/map_shapes.c — GENERATED by tools/gen-map.mjs: DO NOT EDIT.
 * Natural Earth 1:50m admin-0 countries (public domain) from world-atlas ${ATLAS_VERSION},
 * Lambert azimuthal equal-area centred on ${CENTRE.lon}°E ${CENTRE.lat}°N, simplified to ${EPS} units,
 * viewBox 0 0 ${W} ${H}. */
#include "map_shapes.h"

const int map_width = ${W};
const int map_height = ${H};

const struct map_shape map_shapes[] = {`);
for (const s of shapes) {
	out.push(`\t{ "${s.iso2}", ${s.marked ? 1 : 0}, ${s.cx}, ${s.cy},\n\t  ${cstr(s.d, '\t  ')} },`);
}
out.push(`};
const size_t map_nshapes = sizeof map_shapes / sizeof map_shapes[0];

const char map_land[] =
\t${cstr(landD, '\t')};

const char map_dashed[] =
\t${cstr(dashedD, '\t')};`);
process.stdout.write(out.join('\n') + '\n');
const bytes = shapes.reduce((n, s) => n + s.d.length, 0);
process.stderr.write(`gen-map: ${shapes.length} shapes, ${bytes} bytes of path data, land ${landD.length} bytes; ` +
	`markers: ${shapes.filter((s) => s.marked).map((s) => s.iso2).join(' ')}; viewBox 0 0 ${W} ${H}\n`);
