/**
 * The matrix's filters: technique, level and verdict checkboxes and the
 * "only fail or non-strict" toggle, driven by a small inline script.
 *
 * Rows carry `data-technique`, `data-level` (one level, or several when the
 * runs' catalogues disagree) and `data-verdicts` (the states of their cells,
 * space-separated); the script hides rows that do not match, hides a
 * technique's group and a section's heading when none of their rows is shown,
 * and keeps a live "N of M requirements shown" line. The controls are
 * rendered `hidden` and only the script reveals them, so without JavaScript
 * the page shows every row and no control that would do nothing.
 *
 * The fold: when anything failed, a newcomer should land on what failed, not
 * on seventy green rows. So the page opens with the "only fail or non-strict"
 * toggle on (rendered `checked`), and a note above the table says how many
 * rows that folds away, with one button that shows them all. The fold is that
 * toggle, not a state of its own, so it combines with every other filter; and
 * a link to a folded row (a case page's link back) unfolds the page.
 */
import { LEVELS } from '../../verdicts/model.ts';
import { techniqueLabel } from '../format.ts';
import { VERDICT_STYLES } from '../verdict-style.ts';
import type { CellState } from '../verdict-style.ts';
import { html } from './escape.ts';
import type { SafeHtml } from './escape.ts';
import { verdictBadge } from './layout.ts';

/** Every state a cell can show, in legend order: the verdict checkboxes. */
export const CELL_STATES = Object.keys(VERDICT_STYLES) as CellState[];

/** The attributes one row carries for the filters. */
export function rowFilterData(technique: string, level: string, states: readonly CellState[]): SafeHtml {
  const verdicts = [...new Set(states)].join(' ');
  return html`data-technique="${technique}" data-level="${level}" data-verdicts="${verdicts}"`;
}

/** Wording of the live count line; the script says the same. */
export function shownLine(shown: number, total: number): string {
  return `${shown} of ${total} requirement${total === 1 ? '' : 's'} shown`;
}

/** Wording of the fold note; the script says the same. */
export function foldLine(folded: number): string {
  return `Showing what did not hold: ${folded} requirement${folded === 1 ? '' : 's'} with no fail or non-strict result ${folded === 1 ? 'is' : 'are'} folded away.`;
}

/** How the matrix opens: folded when any result is fail or non-strict; `calm` rows (none of those) are what folds away. */
export interface Fold {
  folded: boolean;
  calm: number;
}

/**
 * The filter controls and the fold note, above the table. `techniques` are the
 * groups the table has, in its order; `total` is its number of requirement rows.
 */
export function renderFilters(techniques: readonly string[], total: number, fold: Fold = { folded: false, calm: 0 }): SafeHtml {
  const box = (name: string, value: string, label: SafeHtml | string): SafeHtml =>
    html`<label><input type="checkbox" name="${name}" value="${value}" checked> ${label}</label>`;
  const shown = fold.folded ? total - fold.calm : total;
  return html`<form id="filters" class="filters no-print" hidden aria-label="Filter the requirements">
<fieldset><legend>Technique</legend>${techniques.map((t) => box('technique', t, techniqueLabel(t)))}</fieldset>
<fieldset><legend>Level</legend>${LEVELS.map((l) => box('level', l, l))}</fieldset>
<fieldset><legend>Verdict</legend>${CELL_STATES.map((s) => box('verdict', s, verdictBadge(s)))}</fieldset>
<div class="filter-foot"><label class="only"><input type="checkbox" id="only-open"${fold.folded ? ' checked' : ''}> Show only requirements with a fail or non-strict result</label>
<button type="button" id="filter-reset">Show all</button>
<p id="filter-count" class="muted" aria-live="polite">${shownLine(shown, total)}</p></div>
</form>
<p id="fold-note" class="fold-note" hidden><span id="fold-text">${foldLine(fold.calm)}</span> <button type="button" id="show-all">Show all ${total} requirement${total === 1 ? '' : 's'}</button></p>`;
}

/**
 * The script behind the filters. Plain ES5-level DOM code, no data in it
 * (nothing from the summary is interpolated) and no URL: it only reads the
 * rows' data attributes and the checkboxes.
 */
export const FILTER_SCRIPT = `(function(){
var form=document.getElementById('filters');
if(!form)return;
var rows=Array.prototype.slice.call(document.querySelectorAll('tr.req'));
var groups=Array.prototype.slice.call(document.querySelectorAll('tbody[data-technique]'));
var sections=Array.prototype.slice.call(document.querySelectorAll('tr.section'));
var count=document.getElementById('filter-count');
var only=document.getElementById('only-open');
var note=document.getElementById('fold-note');
var noteText=document.getElementById('fold-text');
function picked(name){
var set={};
Array.prototype.forEach.call(form.querySelectorAll('input[name="'+name+'"]'),function(box){if(box.checked)set[box.value]=true});
return set;
}
function anyIn(list,set){return list.some(function(x){return set[x]===true})}
function apply(){
var techniques=picked('technique'),levels=picked('level'),verdicts=picked('verdict'),open=!!(only&&only.checked),shown=0,folded=0;
rows.forEach(function(row){
var states=(row.getAttribute('data-verdicts')||'').split(' ');
var match=techniques[row.getAttribute('data-technique')||'']===true&&anyIn((row.getAttribute('data-level')||'').split(' '),levels)&&anyIn(states,verdicts);
var show=match&&(!open||states.indexOf('fail')>=0||states.indexOf('non-strict')>=0);
row.hidden=!show;
if(show)shown++;
else if(match)folded++;
});
groups.forEach(function(group){group.hidden=!group.querySelector('tr.req:not([hidden])')});
sections.forEach(function(head){head.hidden=!document.querySelector('tr.req[data-section="'+head.getAttribute('data-section')+'"]:not([hidden])')});
if(count)count.textContent=shown+' of '+rows.length+' requirement'+(rows.length===1?'':'s')+' shown';
if(note){
note.hidden=folded===0;
if(noteText)noteText.textContent='Showing what did not hold: '+folded+' requirement'+(folded===1?'':'s')+' with no fail or non-strict result '+(folded===1?'is':'are')+' folded away.';
}
}
function showAll(){
Array.prototype.forEach.call(form.querySelectorAll('input[type="checkbox"]'),function(box){box.checked=box!==only});
apply();
}
function reveal(){
var id='';
try{id=decodeURIComponent(location.hash.slice(1))}catch(e){return}
var target=id?document.getElementById(id):null;
if(target&&target.closest('tr.req[hidden]')){showAll();target.scrollIntoView()}
}
form.addEventListener('change',apply);
form.addEventListener('submit',function(e){e.preventDefault()});
['filter-reset','show-all'].forEach(function(id){
var button=document.getElementById(id);
if(button)button.addEventListener('click',showAll);
});
addEventListener('hashchange',reveal);
form.hidden=false;
apply();
reveal();
})();`;
