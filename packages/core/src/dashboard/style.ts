/** The dashboard's one stylesheet: readable on a phone (one column, scrolling tables), visible focus. */
export const STYLE = `
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1b1f24;background:#f6f8fa}
a{color:#0b5cad}
:focus-visible{outline:3px solid #0b5cad;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:.5rem;top:.5rem;background:#fff;padding:.5rem;z-index:2}
header{background:#0d2a45;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.25rem}
header .brand{font-weight:700;font-size:1.15rem;color:#fff;text-decoration:none}
header nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0;padding:0}
header nav a{color:#dbe9f7;text-decoration:none;padding:.25rem 0;display:inline-block}
header nav a[aria-current=page]{color:#fff;border-bottom:2px solid #7cc4ff}
header .session{margin-left:auto;display:flex;gap:.5rem;align-items:center}
main{max-width:72rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;margin:.5rem 0 1rem}h2{font-size:1.2rem;margin:1.75rem 0 .5rem}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(13rem,1fr));gap:.75rem}
.card,section.panel{background:#fff;border:1px solid #d8dee4;border-radius:.5rem;padding:.75rem 1rem}
.card .value{font-size:1.5rem;font-weight:700}.card .label{color:#57606a;font-size:.9rem}
.scroll{overflow-x:auto;background:#fff;border:1px solid #d8dee4;border-radius:.5rem}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid #e4e8ec;vertical-align:top}
th{background:#f0f3f6;font-weight:600;white-space:nowrap}
td.num,th.num{text-align:right}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;overflow-wrap:anywhere}
.scroll td{white-space:nowrap}.scroll td.wrap{white-space:normal;min-width:16rem}.scroll td.time{white-space:normal;min-width:7rem}
@media (max-width:40rem){table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
table.stack tr{display:block;border-bottom:1px solid #d8dee4;padding:.35rem 0}
table.stack td{display:grid;grid-template-columns:minmax(6rem,40%) 1fr;gap:.5rem;border:0;padding:.2rem .6rem;white-space:normal;min-width:0}
table.stack td::before{content:attr(data-label);font-weight:600;color:#57606a}}
section.panel+form,section.panel+section,section.panel+p{margin-top:1rem}
form.inline{display:inline}
form.grid{display:grid;gap:.6rem;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));align-items:end}
label{display:block;font-weight:600;font-size:.9rem}
.fields{display:grid;gap:.6rem 1rem;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));align-items:start}
.field{min-width:0;margin-bottom:.6rem}.field.wide{grid-column:1/-1}
.hint{color:#57606a;font-size:.85rem;margin:.25rem 0 0}.fields+.hint{margin:-.2rem 0 .8rem}
.field-error{color:#b42318;font-weight:600;font-size:.9rem;margin:.25rem 0 0}
.invalid input,.invalid select,.invalid textarea{border-color:#b42318;border-width:2px}
section.panel>h2:first-child{margin-top:0}
input,select,textarea,button{font:inherit;max-width:100%}
form.grid>div{min-width:0}
input[type=text],input[type=url],input[type=password],input[type=search],input[type=email],input[type=date],input[type=time],input[type=datetime-local],input[type=number],select,textarea{width:100%;padding:.45rem .55rem;border:1px solid #8c959f;border-radius:.35rem;background:#fff}
fieldset{border:1px solid #d8dee4;border-radius:.35rem}
fieldset label{display:inline-block;font-weight:400;margin-right:1rem}
button{padding:.45rem .9rem;border-radius:.35rem;border:1px solid #0b5cad;background:#0b5cad;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#0b5cad}
button.danger{background:#b42318;border-color:#b42318}
.notice{padding:.75rem 1rem;border-radius:.5rem;margin:0 0 1rem;border:1px solid}
.notice.ok{background:#e8f5e9;border-color:#7bc47f}.notice.error{background:#fdecea;border-color:#e57373}
.status{display:inline-block;padding:0 .45rem;border-radius:1rem;font-size:.85rem;border:1px solid #8c959f}
.status.delivered,.status.succeeded{background:#e8f5e9;border-color:#2e7d32}
.status.failed,.status.expired{background:#fdecea;border-color:#b42318}
.status.sent{background:#e3f0fc;border-color:#0b5cad}
.status.approved{background:#e8f5e9;border-color:#2e7d32}.status.rejected{background:#fdecea;border-color:#b42318}.status.partial{background:#fff8e1;border-color:#b7791f}
ul.badges{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem}
.pager{display:flex;gap:1rem;align-items:center;margin:.75rem 0}
.muted{color:#57606a}
.id{white-space:nowrap}button.copy{padding:.1rem .25rem;margin-left:.2rem;font-size:.8rem;line-height:1;background:#fff;color:#0b5cad;vertical-align:middle}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;margin:0}dt{font-weight:600}dd{margin:0}
@media (max-width:40rem){dl{grid-template-columns:1fr;gap:0}dd{margin-bottom:.5rem}}
ol.timeline{margin:.25rem 0;padding-left:1.25rem}
figure.chart{margin:0}
.plot{display:grid;grid-template-columns:auto minmax(0,1fr);column-gap:.5rem;font-size:.8rem;color:#57606a}
.plot .axis-title{grid-column:1/-1;font-weight:600;margin-bottom:.5rem}.plot .x-title{grid-column:2;text-align:center;margin:.25rem 0 0}
.y-axis{position:relative;min-width:2.5em}.y-axis .tick{position:absolute;right:0;transform:translateY(-50%);line-height:1}
svg.chart{grid-column:2;width:100%;height:12rem;display:block;background:#fff}
.x-axis{grid-column:2;display:grid;margin-top:.25rem}.x-axis span{white-space:nowrap}
.legend span{margin-right:1rem;white-space:nowrap}.swatch{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:-.1rem}
.signin{max-width:26rem;margin:10vh auto;background:#fff;border:1px solid #d8dee4;border-radius:.5rem;padding:1.25rem}
.search-row{display:flex;gap:.5rem;flex-wrap:wrap}.search-row input{flex:1 1 12rem;width:auto}
#f-forcing li{margin:.25rem 0}.actions{display:flex;gap:.5rem;flex-wrap:wrap}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
`;
