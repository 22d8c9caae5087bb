// Time-series charts with uPlot, served from the app's jar (the org.webjars.npm:uplot WebJar, /webjars/uplot/…); the
// build fills in the WebJar's version there and in index.html from the parent pom's uplot.version, its one place.
// Each chart drawn is kept in window.irisxCharts by its name, so that its data can be read back.
import uPlot from '/webjars/uplot/@uplot.version@/dist/uPlot.esm.js';
import { h } from './dom.js';

const COLORS = ['#2563eb', '#16a34a', '#dc2626', '#9333ea', '#ea580c', '#0891b2'];
window.irisxCharts = window.irisxCharts || {};

/**
 * A formatter of amounts with at least `min` decimals, and as many more as a small amount needs: on an axis, enough
 * to tell one tick from the next (ticks 0.0005 apart get 4); for one value, two significant digits (0.0042).
 */
export function decimals(min) {
  return (v, step) => {
    const scale = Math.abs(step === undefined ? v : step);
    const digits = scale > 0 && scale < 1 ? Math.ceil(-Math.log10(scale) - 1e-9) + (step === undefined ? 1 : 0) : 0;
    return v.toFixed(Math.min(12, Math.max(min, digits)));
  };
}

/**
 * A line chart of daily series: `days` (ISO dates), `series` [{label, values, dash?, color?}], `format(value, step)`
 * of the y values (`step`, the distance between the axis' ticks, given on the axis only), the y axis from 0 to at
 * least `minTop`. Appended to `parent`.
 */
export function lineChart(parent, name, title, days, series, format = (v) => v, minTop = 1) {
  const box = h('figure.chart', { 'data-chart': name }, h('figcaption', {}, title));
  parent.append(box);
  const xs = days.map((day) => Date.parse(day + 'T00:00:00Z') / 1000);
  const data = [xs, ...series.map((s) => s.values.map((v) => (v === null || v === undefined ? null : Number(v))))];
  const width = Math.max(320, Math.min(560, parent.clientWidth - 24 || 560));
  const chart = new uPlot({
    width,
    height: 220,
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(minTop, max === null ? 0 : max * 1.1)] } },
    axes: [{}, { values: (u, ticks) => ticks.map((v) => format(v, ticks.length > 1 ? ticks[1] - ticks[0] : undefined)), size: 70 }],
    series: [{ label: 'day', value: (u, v) => (v === null ? '' : new Date(v * 1000).toISOString().slice(0, 10)) },
      ...series.map((s, i) => ({
        label: s.label,
        stroke: s.color || COLORS[i % COLORS.length],
        width: 2,
        dash: s.dash,
        points: { show: true, size: 5 },
        value: (u, v) => (v === null || v === undefined ? '–' : format(v)),
      }))],
  }, data, box);
  window.irisxCharts[name] = chart;
  return chart;
}
