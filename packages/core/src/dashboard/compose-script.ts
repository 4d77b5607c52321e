/**
 * The Send page's script (inline, nonce'd; the page works without it). As the text is typed it counts
 * septets with the encoding module's tables (the form's `data-gsm`: no copy of them here), shows the
 * encoding, segments and characters left and the characters that force UCS-2, each with a button that
 * puts its GSM-7 look-alike in; a while after typing stops it posts the form to `data-preview` (same
 * origin) and shows the server's figures and the cost against the balance, unless the form changed
 * since it asked (a late answer for older text is dropped). A fix button, without the script, submits
 * the form and the server makes the same replacement.
 */
export const COMPOSE_SCRIPT = `(()=>{
const f=document.getElementById('compose');if(!f)return;
const T=JSON.parse(f.dataset.gsm),m=f.elements.message,$=(id)=>document.getElementById(id);
const basic=new Set(T.basic),ext=new Set(T.extension),num=new Intl.NumberFormat(document.documentElement.lang);
function figures(t){let s=0;const forcing=[];
for(const ch of t){if(basic.has(ch))s++;else if(ext.has(ch))s+=2;else if(!forcing.includes(ch))forcing.push(ch)}
const gsm=forcing.length===0,L=gsm?T.limits.gsm:T.limits.ucs2,units=gsm?s:t.length;
const segments=units<=L.single?1:Math.ceil(units/L.multi),per=segments===1?L.single:L.multi;
return{encoding:gsm?'GSM-7':'UCS-2',units,segments,left:per*segments-units,forcing:forcing.map((char)=>({char,fix:T.fixes[char]??null}))}}
function show(x){$('f-encoding').textContent=x.encoding;$('f-segments').textContent=num.format(x.segments);$('f-left').textContent=num.format(x.left);
const w=$('f-forcing');w.hidden=x.forcing.length===0;
w.querySelector('ul').replaceChildren(...x.forcing.map((c)=>{const li=document.createElement('li'),code=document.createElement('code');
code.textContent=c.char+' U+'+c.char.codePointAt(0).toString(16).toUpperCase().padStart(4,'0');li.append(code,' ');
if(c.fix===null){li.append(w.dataset.nofix);return li}
const b=document.createElement('button');b.type='submit';b.name='fix';b.value=c.char;b.className='secondary';b.formNoValidate=true;
b.textContent=c.fix===''?w.dataset.remove:w.dataset.fix.replace('{fix}',c.fix);li.append(b);return li}))}
let timer,asked=0;
async function preview(){const n=++asked,body=new FormData(f);
try{const r=await fetch(f.dataset.preview,{method:'POST',body,headers:{accept:'application/json'},credentials:'same-origin'});
const j=await r.json();if(!r.ok||n!==asked)return;show(j.data.figures);$('f-cost').textContent=j.data.cost}catch{}}
f.addEventListener('input',()=>{asked++;show(figures(m.value));clearTimeout(timer);timer=setTimeout(preview,400)});
f.addEventListener('change',()=>{asked++;clearTimeout(timer);timer=setTimeout(preview,400)});
f.addEventListener('click',(e)=>{const b=e.target.closest('button[name=fix]');if(!b)return;e.preventDefault();
m.value=m.value.split(b.value).join(T.fixes[b.value]??b.value);m.dispatchEvent(new Event('input',{bubbles:true}));m.focus()});
})();`;
