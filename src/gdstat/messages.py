"""The one message catalogue: every error, hint, warning, status line and label gdstat prints, in
Chinese and English.

``say(key, lang, **params)`` formats an entry. English counts are grammatical through a format
spec naming the counted word: ``{n:error}`` gives ``1 error`` / ``2 errors`` (in Chinese the
number is printed as is). The library raises its errors in English (``str(exc)`` is what a script
sees); ``localise(text, lang)`` turns such a text into Chinese by matching it against the English
templates below, so a message is written once, here, for both languages.

Which language: ``--lang``, else ``GDSTAT_LANG``, else ``lang`` in the nearest ``gdstat.toml``,
else Chinese (``resolve_lang``). This module imports nothing heavy: ``gdstat --help`` loads it.
"""

from __future__ import annotations

import os
import string

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
CONFIG_NAME = "gdstat.toml"

# key: (zh, en)
MESSAGES: dict[str, tuple[str, str]] = {
    # --------------------------------------------------------------- line prefixes (stderr)
    "error": ("错误", "error"),
    "warning": ("警告", "warning"),
    "info": ("提示", "note"),
    "hint": ("提示", "hint"),
    "internal": ("内部错误", "internal error"),
    # --------------------------------------------------------------- severities and counts
    "sev.error": ("错误", "error"),
    "sev.warning": ("警告", "warning"),
    "sev.info": ("提示", "info"),
    "counts": ("错误 {errors} 项，警告 {warnings} 项，提示 {info} 项", "{errors:error}, {warnings:warning}, {info:note}"),
    "none": ("未发现问题。", "No findings."),
    "passed_over": ("；另有 {n} 项已在基线中，未列出（--baseline）", "; {n:finding} in the baseline passed over (--baseline)"),
    "none_but_passed_over": ("未发现新问题。", "No new findings."),
    "failing": ("检查结果达到 --fail-on {level}：{counts}", "findings at or above --fail-on {level}: {counts}"),
    "failing_more": ("…… 另有 {n} 项，见输出", "… and {n:more} in the output"),
    "internal_hint": ("请加 --debug 重新运行以查看详细信息，并报告此问题", "run again with --debug for a traceback, and report it"),
    # --------------------------------------------------------------- confirmations (stderr, after a write)
    "wrote": ("已写入 {path}：{what}", "wrote {path}: {what}"),
    "what.findings": ("{n} 项检查结果（{counts}）", "{n:finding} ({counts})"),
    "what.report": ("{agency} {year} 的表格、复核合计、派生指标和检查结果", "the tables, recomputed totals, derived figures and findings of {agency} {year}"),
    "what.values": ("{agency} {year} 的 {n} 个单元格", "{n:cell} of {agency} {year}"),
    "what.sheet": ("{agency} {year} 的官方统计表（{format} 格式）", "the official {format} sheet of {agency} {year}"),
    "what.sum": ("{agency} {year}，{units} 个单位之和；{counts}", "{agency} {year}, the sum of {units:unit}; {counts}"),
    "what.comparison": ("{labels} 的逐项比较，{rows} 行", "the comparison of {labels}, {rows:row}"),
    "what.formats": ("{n} 种官方格式", "{n:official format}"),
    "what.format": ("{format} 格式的表、行、单元格和规则", "the tables, rows, cells and rules of format {format}"),
    "what.template": ("{format} 格式的空白统计表", "a blank {format} sheet"),
    "what.html": ("HTML 报告（{kind}，{inputs} 个输入；{counts}）", "an HTML report ({kind}, {inputs:input}; {counts})"),
    "report.written": ("已写出 HTML 报告", "HTML report written"),
    "report.kind": ("类型", "Kind"),
    "report.kind.report": ("单份报表", "one report"),
    "report.kind.trend": ("历年趋势", "trend over the years"),
    "report.kind.review": ("多单位审阅", "review of many agencies"),
    "report.inputs": ("输入", "Inputs"),
    "report.size": ("大小", "Size"),
    "what.narrative": ("{agency} {year} 年度报告的文字，{sections} 部分{compared}", "the prose of {agency} {year}, {sections:section}{compared}"),
    "what.narrative_compared": ("，与 {year} 比较", ", compared with {year}"),
    "what.narrative_table": ("，附统计表", ", with the statistics table"),
    "batch.line": ("共 {files} 个文件，{unreadable} 个无法读取；{values} 个数值写入 {output}；{counts}{to}；用时 {seconds} 秒，每秒 {rate} 个文件",
                   "{files:file}, {unreadable} unreadable; {values:value} to {output}; {counts}{to}; {seconds} s, {rate} files/s"),
    "batch.passed": ("已跳过 {path}：{what}", "passed over {path}: {what}"),
    "batch.to": ("，写入 {path}", " to {path}"),
    "stdout": ("标准输出", "stdout"),
    "reading": ("读取中", "reading"),
    "validate.bottom": ("共 {files} 个文件，{failing} 个有错误，{unreadable} 个无法读取；{counts}",
                        "{files:file}, {failing} with errors, {unreadable} unreadable; {counts}"),
    "unreadable": ("无法读取", "unreadable"),
    "year_from_title": ("{path}：按标题中的年度 {year} 比较（文件名写的是 {name_year}）",
                        "{path}: compared as {year}, the year in its title (its name says {name_year})"),
    # --------------------------------------------------------------- labels of the tables shown
    "label.agency": ("单位", "Agency"),
    "label.year": ("年度", "Year"),
    "label.format": ("格式", "Format"),
    "label.source": ("来源", "Source"),
    "label.indicator": ("统计指标", "Indicator"),
    "label.unit": ("单位", "Unit"),
    "label.value": ("统计数", "Value"),
    "label.recomputed": ("复核", "Recomputed"),
    "label.derived": ("派生指标", "Derived figures"),
    "label.metric": ("指标", "Figure"),
    "label.numerator": ("分子", "Numerator"),
    "label.denominator": ("分母", "Denominator"),
    "label.share": ("占比 %", "Share %"),
    "label.findings": ("检查结果", "Findings"),
    "label.severity": ("级别", "Severity"),
    "label.code": ("代码", "Code"),
    "label.rule": ("规则", "Rule"),
    "label.rules": ("规则", "Rules"),
    "label.message": ("说明", "Message"),
    "label.where": ("位置", "Location"),
    "label.id": ("编号", "ID"),
    "label.name": ("名称", "Name"),
    "label.authority": ("文件", "Authority"),
    "label.years": ("适用年度", "Years"),
    "label.cells": ("单元格数", "Cells"),
    "label.file": ("文件", "File"),
    "label.mismatch_note": ("“≠”：填报的合计与其分项之和不符（右为分项之和）；“（）”：未填报，括号内为分项之和。",
                            "“≠”: the reported total differs from the sum of its parts (shown right); “( )”: not reported, the sum of its parts."),
    # --------------------------------------------------------------- the comparison of years
    "diff.reports": ("比较对象", "Compared"),
    "diff.indicator": ("统计指标", "Indicator"),
    "diff.unit": ("单位", "Unit"),
    "diff.change": ("增减", "Change"),
    "diff.percent": ("增减%", "Change %"),
    "diff.points": ("增减（百分点）", "Change (points)"),
    "diff.flag": ("标记", "Flag"),
    "diff.quality": ("对应", "Mapping"),
    "diff.note": ("说明", "Note"),
    "diff.trend": ("趋势", "Trend"),
    "diff.format": ("格式", "Format"),
    "diff.unmatched": ("无对应指标（各年口径不同，不作比较）", "No counterpart in every year (not compared)"),
    "diff.derived": ("派生指标（增减为百分点）", "Derived shares (changes in percentage points)"),
    "diff.new": ("新增", "new"),
    "diff.blank": ("未填", "n/r"),
    "diff.none": ("—", "—"),
    "diff.nothing": ("没有需要显示的行。", "No rows to show."),
    "diff.hidden": ("另有 {n} 行各年均为 0 或未填报{changed}，未显示（--all 显示全部）。",
               "{n:more row} are zero or not reported in every year{changed} and not shown (--all shows them)."),
    "diff.hidden_changed": ("或没有变化", " or unchanged"),
    "diff.flagged": ("⚠ 变动超过阈值（{percent}% 且至少 {units}）：{n} 行", "⚠ moved beyond the threshold ({percent}% and at least {units}): {n:row}"),
    # --------------------------------------------------------------- usage errors of the command line
    "see_help": ("用法见 {command} -h", "see {command} -h"),
    "usage.no_such_option": ("没有选项 {option}", "no such option: {option}"),
    "usage.did_you_mean": ("是否想用 {options}？", "did you mean {options}?"),
    "usage.missing": ("缺少 {param}", "missing {param}"),
    "usage.bad_choice": ("{param} 不接受 {value!r}", "{param} does not take {value!r}"),
    "usage.choices": ("可选：{choices}", "choose one of: {choices}"),
    "usage.bad_value": ("{param} 的值无效：{detail}", "invalid value for {param}: {detail}"),
    "usage.no_such_command": ("没有命令 {name!r}", "no such command {name!r}"),
    "usage.commands": ("gdstat -h 列出全部命令", "gdstat -h lists the commands"),
    "usage.extra": ("多余的参数：{args}", "unexpected extra arguments: {args}"),
    "usage.option_needs_value": ("选项 {option} 需要一个值", "option {option} requires a value"),
    "usage.other": ("命令行有误：{detail}", "the command line is wrong: {detail}"),
    "usage.encoding": ("未知的编码 {value!r}", "unknown encoding {value!r}"),
    "usage.encoding_hint": ("例如 utf-8、gb18030、gbk", "e.g. utf-8, gb18030 or gbk"),
    "usage.lang": ("不支持的语言 {value!r}（{where}）", "unsupported language {value!r} ({where})"),
    "usage.lang_hint": ("可选 zh 或 en", "choose zh or en"),
    "usage.suffix_format": ("{path} 的后缀表示 {by_suffix}，与 -f {fmt} 不一致", "{path}: its suffix means {by_suffix}, but -f says {fmt}"),
    "usage.suffix_format_hint": ("去掉 -f，或把文件改名为 {suffix}", "leave out -f, or name the file {suffix}"),
    "usage.suffix_unsupported": ("{path}：gdstat {command} 不写 {suffix} 文件", "{path}: gdstat {command} does not write {suffix} files"),
    "usage.suffix_unsupported_hint": ("可用的后缀：{suffixes}", "name it with one of: {suffixes}"),
    "usage.template_format": ("-f/--format 是输出格式；官方表格格式请用 -t/--table-format", "-f/--format is the output format; name the table format with -t/--table-format"),
    "usage.template_format_hint": ("例如 gdstat template -t {value} -o blank.xlsx", "e.g. gdstat template -t {value} -o blank.xlsx"),
    "usage.report_stdout": ("gdstat report 写出一个 HTML 文件，不写到标准输出", "gdstat report writes an HTML file, not to stdout"),
    "usage.report_stdout_hint": ("例如 -o 报告.html", "e.g. -o report.html"),
    "usage.narrate_prose": ("-f {fmt}：narrate 写出的是文字", "-f {fmt}: narrate writes prose"),
    "usage.narrate_prose_hint": ("可选 plain、markdown 或 json，或 -o 文件名.docx", "choose plain, markdown or json, or -o FILE.docx"),
    "usage.with_table": ("--with-table 只用于 .docx 输出", "--with-table needs a .docx output"),
    "usage.with_table_hint": ("例如 -o 报告.docx --with-table", "e.g. -o report.docx --with-table"),
    "usage.docx_format": ("{path} 是 Word 文档，与 -f {fmt} 不一致", "{path} is a Word document, but -f says {fmt}"),
    "usage.docx_format_hint": ("去掉 -f，或改用 .txt、.md 或 .json 文件名", "leave out -f, or name a .txt, .md or .json file"),
    "usage.previous_both": ("--previous 与 --no-previous 不能同时使用", "--previous and --no-previous disagree"),
    "usage.previous_both_hint": ("只给出其中一个", "give one of them"),
    # --------------------------------------------------------------- errors raised by the library, by their English text
    "e.no_such_file": ("{path}：文件不存在", "{path}: no such file"),
    "h.no_such_file": ("请检查路径和当前文件夹", "check the path and the current folder"),
    "e.is_folder_input": ("{path}：是文件夹，不是文件", "{path}: is a folder, not a file"),
    "h.is_folder": ("请给出文件夹中的文件", "name a file inside it"),
    "e.cannot_open": ("{path}：无法打开（{why}）", "{path}: cannot be opened ({why})"),
    "h.permissions": ("请检查文件权限", "check its permissions"),
    "e.empty": ("{path}：文件为空", "{path}: the file is empty"),
    "h.empty": ("请确认文件已完整保存或下载", "check that the file was saved or downloaded completely"),
    "e.no_table": ("{path}：未找到统计表", "{path}: no statistics table found"),
    "e.own_findings": ("{path}：gdstat 检查结果（validate 或 batch --findings 的输出），不是报告", "{path}: a gdstat findings file (the output of validate or batch --findings), not a report"),
    "e.own_diff": ("{path}：gdstat diff 的比较结果，不是报告", "{path}: a gdstat diff output, not a report"),
    "e.own_batch_summary": ("{path}：gdstat batch 的运行摘要，不是报告", "{path}: a gdstat batch run summary, not a report"),
    "e.own_html_report": ("{path}：gdstat report 写出的 HTML 页面，不是报告", "{path}: an HTML page gdstat report wrote, not a report"),
    "e.own_other": ("{path}：gdstat 的输出，但不含报告的数值", "{path}: a gdstat output that holds no report's values"),
    "h.own": ("请给出报告本身（或 extract、summarize -f json 的输出，或单元格表）", "give gdstat the report itself (or the output of extract or summarize -f json, or a cell table)"),
    "e.own_dataset": ("{path}：gdstat 数据集，含 {count} 份报告，不是一份报告", "{path}: a gdstat dataset of {count} reports, not one report"),
    "h.own_dataset": ("一次读取一份报告，或先筛选出同一路径的行", "read one report at a time, or filter the dataset's rows to one path first"),
    "e.own_format": ("{path}：gdstat 单元格表的单元格编号不只属于一种格式", "{path}: a gdstat cell table whose cell ids do not belong to exactly one format"),
    "h.own_report": ("请读取报告本身", "read the report itself"),
    "e.own_not_number": ("{path}：{cell} 的值不是数字（{value}）", "{path}: the value of {cell} is not a number ({value})"),
    "h.own_changed": ("文件在 gdstat 写出后被改动过；请重新写出", "the file was changed after gdstat wrote it; write it again"),
    "e.own_values_json": ("gdstat 数值文件（extract 或 summarize -f json 的输出）", "a gdstat values file (extract or summarize -f json)"),
    "e.own_cell_table": ("gdstat 单元格表（extract、summarize 或 batch 的输出）", "a gdstat cell table (extract, summarize or batch)"),
    "e.own_findings_file": ("gdstat 检查结果（validate 或 batch --findings 的输出）", "a gdstat findings file (the output of validate or batch --findings)"),
    "e.own_diff_file": ("gdstat diff 的比较结果", "a gdstat diff output"),
    "e.own_batch_summary_file": ("gdstat batch 的运行摘要", "a gdstat batch run summary"),
    "e.own_html_report_file": ("gdstat report 写出的 HTML 页面", "an HTML page gdstat report wrote"),
    "e.own_narrative_docx_file": ("gdstat narrate 写出的 Word 文档", "a Word document gdstat narrate wrote"),
    "e.own_other_file": ("gdstat 的输出，但不含报告的数值", "a gdstat output that holds no report's values"),
    "e.exists": ("{path}：文件已存在", "{path}: already exists"),
    "e.dask_folder": ("--dask 写出的是 Parquet 数据集文件夹", "--dask writes a Parquet dataset folder"),
    "h.dask_folder": ("用 -o 指定文件夹，例如 -o dataset/", "name it with -o, e.g. -o dataset/"),
    "h.exists": ("换一个文件名，或加 --force 覆盖", "choose another name or pass --force to replace it"),
    "e.no_dir": ("{path}：文件夹 {folder} 不存在", "{path}: the folder {folder} does not exist"),
    "e.unreadable": ("{path}：无法读取该文件（{why}）", "{path}: the file could not be read ({why})"),
    "h.unreadable": ("请用生成它的程序打开并重新保存，或重新获取该文件",
                     "open it in the program that made it and save it again, or fetch it once more"),
    "h.limit": ("若文件可信，可放宽该限制：gdstat --limit {name}=N ...（或 GDSTAT_LIMITS={name}=N）",
                "if the file is trusted, raise the limit: gdstat --limit {name}=N ... (or GDSTAT_LIMITS={name}=N)"),
    "e.appeared": ("{path}：写入期间该位置出现了另一个文件，已保留原文件", "{path}: appeared while gdstat was writing it; it was left as it is"),
    "e.not_regular": ("{path}：不是普通文件（管道、设备或套接字）", "{path}: is not a regular file (a pipe, device or socket)"),
    "h.not_regular": ("--force 只覆盖普通文件；请换一个文件名", "--force replaces regular files only; choose another name"),
    "e.replaces_input": ("{path}：是本命令的输入文件；gdstat 从不覆盖输入", "{path}: is an input of this command; gdstat never replaces an input"),
    "h.replaces_input": ("请写到另一个文件", "write the output to another file"),
    "e.unwritable": ("{path}：无法写入（{why}）", "{path}: cannot be written ({why})"),
    "e.unwritable_in": ("{path}：无法在 {folder} 中写入（{why}）", "{path}: cannot be written in {folder} ({why})"),
    "h.unwritable": ("请检查该文件夹是否可写，或换一个输出路径", "check that the folder is writable, or choose another output path"),
    "h.other_path": ("请换一个输出路径", "choose another output path"),
    "e.baseline_utf8": ("{path}：基线文件不是 UTF-8 文本（第 {at} 字节）", "{path}: baseline is not UTF-8 text (byte {at})"),
    "h.baseline_utf8": ("请给出 validate -f json 的输出，或每行一个指纹的文件",
                        "name a validate -f json output or a file of fingerprints, one a line"),
    "h.no_dir": ("先创建该文件夹，或写到已有的文件夹中", "create the folder first, or write into one that exists"),
    "e.is_folder_output": ("{path}：是文件夹", "{path}: is a folder"),
    "e.unknown_format": ("未知的表格格式 {value}", "unknown table format {value}"),
    "h.choose_format": ("可选：{choices}", "choose one of: {choices}"),
    "e.password": ("{path}：工作簿设有密码", "{path}: the workbook is password-protected"),
    "h.password": ("在 Excel 或 WPS 中取消密码（文件 → 信息 → 保护工作簿）后另存一份", "remove the password in Excel or WPS (文件 → 信息 → 保护工作簿) and save a copy"),
    "e.damaged_zip": ("{path}：文件是损坏或不完整的压缩包，无法作为工作簿读取（{why}）", "{path}: the file is a damaged or truncated zip archive, not a readable workbook ({why})"),
    "h.save_again_or_fetch": ("在 Excel 或 WPS 中打开后重新保存，或重新下载该文件", "open it in Excel or WPS and save it again, or fetch the file once more"),
    "e.zip_other": ("{path}：压缩包既不是表格也不是 Word 文档", "{path}: a zip archive that is neither a spreadsheet nor a Word document"),
    "h.kinds": ("gdstat 读取 xlsx、xlsm、xls、ods、csv、docx、html、pdf 和纯文本报告", "gdstat reads xlsx, xlsm, xls, ods, csv, docx, html, pdf and plain-text reports"),
    "e.doc": ("{path}：旧版 Word 文档（.doc），gdstat 无法读取", "{path}: an old-style Word document (.doc), which gdstat cannot read"),
    "h.doc": ("在 Word 或 WPS 中另存为 .docx，或把正文复制到 .txt 文件", "open it in Word or WPS and save it as .docx, or copy its text into a .txt file"),
    "e.ole_other": ("{path}：旧版 Office 文件，但不是工作簿", "{path}: an old-style Office file that is not a workbook"),
    "e.parquet": ("{path}：Parquet 文件（gdstat batch 写出的那种数据集），不是一份报告", "{path}: a Parquet file (a dataset such as gdstat batch writes), not a report"),
    "h.parquet": ("gdstat report 可读取整个数据集；要读取一份报告，请给出它的来源文件", "gdstat report reads a whole dataset; for one report, give gdstat the file it was read from"),
    "e.binary": ("{path}：二进制文件，既不是表格也不是文档", "{path}: a binary file that is neither a spreadsheet nor a document"),
    "e.bad_encoding_name": ("未知的编码 {value}", "unknown encoding {value}"),
    "h.encodings": ("可试 utf-8、gb18030 或 gbk", "try utf-8, gb18030 or gbk"),
    "e.not_valid_encoding": ("{path}：第 {byte} 字节处不是有效的 {encoding} 文本", "{path}: not valid {encoding} at byte {byte}"),
    "h.leave_out_encoding": ("去掉 --encoding，由 gdstat 自动识别", "leave out --encoding to let gdstat detect it"),
    "e.encoding_unknown": ("{path}：无法识别文本编码", "{path}: the text encoding could not be recognised"),
    "h.encoding_unknown": ("把文件另存为 UTF-8，或用 --encoding 指明编码（如 --encoding gbk）", "save the file as UTF-8, or name its encoding with --encoding (e.g. --encoding gbk)"),
    "e.workbook": ("{path}：无法读取该 {kind} 工作簿（{why}）", "{path}: the {kind} workbook could not be read ({why})"),
    "h.save_again": ("在 Excel 或 WPS 中打开后重新保存", "open it in Excel or WPS and save it again"),
    "e.docx_read": ("{path}：无法读取该 Word 文档（{why}）", "{path}: the Word document could not be read ({why})"),
    "e.docx_damaged": ("{path}：Word 文档已损坏（{why}）", "{path}: the Word document is damaged ({why})"),
    "h.docx": ("在 Word 或 WPS 中打开后重新另存为 .docx", "open it in Word or WPS and save it again as .docx"),
    "e.pdf_extra": ("{path}：读取 PDF 需要可选组件 pdf", "{path}: reading PDF needs the optional pdf extra"),
    "h.pdf_extra": ("安装：pip install 'gdstat[pdf]'", "install it with: pip install 'gdstat[pdf]'"),
    "e.pdf_read": ("{path}：无法读取该 PDF（{why}）", "{path}: the PDF could not be read ({why})"),
    "h.pdf_read": ("在 PDF 阅读器中打开后另存或打印为新的 PDF", "open it in a PDF reader and save or print it to a new PDF"),
    "e.pdf_scan": ("{path}：PDF 没有文字层（扫描图像）", "{path}: the PDF has no text layer (a scanned image)"),
    "h.pdf_scan": ("先做文字识别（OCR），或从报告网页复制文字", "run OCR on it first, or copy the report's text from its web page"),
    "e.xlsx_only": ("{path}：gdstat 写出 .xlsx 工作簿", "{path}: gdstat writes .xlsx workbooks"),
    "h.xlsx_only": ("把输出文件命名为 .xlsx", "name the output file with the .xlsx extension"),
    "e.is_input": ("{path}：这是输入文件，gdstat 从不修改输入", "{path}: is the input; gdstat never modifies an input"),
    "h.other_name": ("写到另一个文件名", "write to another file name"),
    "e.no_inputs": ("未找到输入文件", "no input files found"),
    "h.no_inputs": ("给出统计表或报告的文件、文件夹或通配符（xlsx、xls、ods、csv、tsv、txt、html、docx、pdf）",
                    "name files, folders or globs of statistics sheets or reports (xlsx, xls, ods, csv, tsv, txt, html, docx, pdf)"),
    "h.no_units": ("给出各单位的统计表，或存放它们的文件夹", "name the units' sheets, or a folder holding them"),
    "e.none_read": ("没有一个输入文件能读取；未写出任何文件", "no input file could be read; nothing was written"),
    "h.none_read": ("请检查上面列出的文件名；通配符请加引号，由 gdstat 展开", "check the names above; quote globs so that gdstat expands them"),
    "e.nothing_summed": ("{first}{more}；未做汇总", "{first}{more}; nothing was summed"),
    "e.and_more": ("（另有 {n} 个）", " (and {n} more)"),
    "e.baseline": ("{path}：无法读取基线文件（{why}）", "{path}: baseline cannot be read ({why})"),
    "h.baseline": ("请检查 --baseline 的路径", "check the --baseline path"),
    "e.config": ("{path}：无法读取（{why}）", "{path}: cannot be read ({why})"),
    "h.config": ("修正或删除 gdstat.toml", "fix or remove gdstat.toml"),
    "e.no_year_file": ("{year}：{folder} 中没有文件名含 {year} 的数据文件", "{year}: no data file in {folder} has {year} in its name"),
    "h.no_year_file": ("直接给出文件，或用 --dir（或 gdstat.toml 中的 data_dir）指向存放各年统计表的文件夹",
                       "name the file, or point --dir (or data_dir in gdstat.toml) at the folder of the yearly sheets"),
    "e.many_year_files": ("{year}：{folder} 中有 {n} 个文件匹配：{listed}", "{year}: {n} files in {folder} match: {listed}"),
    "h.many_year_files": ("直接给出所指的文件，而不是年度", "name the file you mean instead of the year"),
    "e.no_data_dir": ("{folder}：数据文件夹不存在", "{folder}: data folder not found"),
    "h.no_data_dir": ("请检查 --dir 或 gdstat.toml 中的 data_dir", "check --dir or data_dir in gdstat.toml"),
    "e.threshold": ("--threshold {value}：不是有效的阈值", "--threshold {value}: not a threshold"),
    "h.threshold": ("写一个百分比，可再加最小变化量，如 50% 或 50%,10", "write a percentage and optionally the least change, e.g. 50% or 50%,10"),
    "h.threshold_short": ("例如 50% 或 50%,10", "e.g. 50% or 50%,10"),
    "e.same_file": ("{path} 被给出了两次，无法与自身比较", "{path} is named twice; a report is not compared with itself"),
    "h.same_file": ("给出两个不同年度的文件", "name two different years"),
    "e.diff_two": ("diff 需要两个或更多年度或文件", "diff needs two or more years or files"),
    "h.diff_two": ("例如 gdstat diff 2017 2018", "e.g. gdstat diff 2017 2018"),
    "e.output_kind": ("{path}：无法从文件名判断输出类型", "{path}: cannot tell the output kind from the name"),
    "h.output_kind": ("文件名以 .csv、.jsonl 或 .parquet 结尾，或用 -f csv|jsonl|parquet", "end the name in .csv, .jsonl or .parquet, or pass -f csv|jsonl|parquet"),
    "e.parquet_stdout": ("Parquet 不能写到标准输出", "Parquet cannot be written to stdout"),
    "h.parquet_stdout": ("用 -o 给出文件名，如 -o all.parquet", "name a file with -o, e.g. -o all.parquet"),
    "e.pyarrow": ("写 Parquet 需要 pyarrow，但未安装", "Parquet output needs pyarrow, which is not installed"),
    "h.pyarrow": ("pip install 'gdstat[parquet]'，或写 .csv 或 .jsonl", "pip install 'gdstat[parquet]', or write .csv or .jsonl"),
    "e.same_place": ("{path}：数值和检查结果不能写到同一处", "{path}: the values and the findings cannot go to the same place"),
    "h.two_files": ("给出两个文件名", "name two files"),
    "h.no_table": ("gdstat 按官方表格的标签（如 申请答复数、本年新收政府信息公开申请数量）查找；请确认这是报告或其统计表，或用 --table-format 指定格式",
                   "gdstat looks for the official table labels (e.g. 申请答复数, 本年新收政府信息公开申请数量); check that this is the report or its statistics sheet, or name the format with --table-format"),
    # outputs, limits and workers
    "e.unknown_limit": ("未知的限制 {name}", "unknown limit {name}"),
    "h.limits": ("可用的限制：{names}", "limits: {names}"),
    "e.limit_value": ("限制 {name}：{value} 不是正整数", "limit {name}: {value} is not a positive whole number"),
    "h.limit_value": ("例如 --limit {name}=N", "e.g. --limit {name}=N"),
    "e.internal_in_file": ("内部错误：{why}", "internal error: {why}"),
    "e.dask_worker_died": ("读取该文件所在分组的 Dask 工作进程反复退出（{why}）", "the Dask worker reading this file's group died ({why})"),
    "e.not_fetched": ("{path}：无法获取（{why}）", "{path}: could not be fetched ({why})"),
    # why a reader process was lost (workers._why): the {why} of the messages above
    "e.reader_crashed": ("读取进程崩溃（{signal}）", "the reader crashed ({signal})"),
    "e.reader_stopped": ("读取进程意外退出（退出状态 {status}）", "the reader stopped (exit status {status})"),
    "e.reader_killed": ("读取进程被终止", "killed"),
    "e.worker_unreadable": ("{path}：无法读取（{why}）", "{path}: could not be read ({why})"),
    "h.made_it": ("用生成它的程序打开后重新保存", "open it in the program that made it and save it again"),
    # batch --dask
    "e.dask_file": ("{path}：Dask 运行写出的是 Parquet 分片文件夹，而这是一个文件", "{path}: the Dask run writes a folder of Parquet parts, and this is a file"),
    "h.dask_parts": ("给出文件夹名，如 -o dataset/", "name a folder, e.g. -o dataset/"),
    "e.dask_pyarrow": ("Dask 运行写出 Parquet，需要 pyarrow", "the Dask run writes Parquet, which needs pyarrow"),
    "e.dask_missing": ("--dask 需要 dask.distributed，但未安装", "--dask needs dask.distributed, which is not installed"),
    "h.dask_extra": ("安装：pip install 'gdstat[dask]'", "pip install 'gdstat[dask]'"),
    "e.dask_no_scheduler": ("{address}：那里没有 Dask 调度器应答（{why}）", "{address}: no Dask scheduler answers there ({why})"),
    "h.dask_no_scheduler": ("先用 `dask scheduler` 启动调度器，再用 `dask worker 地址` 启动工作进程",
                            "start one with `dask scheduler` and workers with `dask worker ADDRESS`"),
    "h.dask_paths": ("请确认工作进程能按这些路径看到文件", "check that the workers see the files at these paths"),
    "h.dask_inputs": ("给出工作进程能读取的文件、文件夹或通配符", "name files, folders or globs that the workers can read"),
    "e.mixed_units": ("输入不是同一格式和年度：{parts}", "the inputs are not all of one format and year: {parts}"),
    "h.mixed_units": ("一次汇总一个年度的表；年度不明的表需在标题中写明年度", "sum the sheets of one year at a time; a sheet whose year is unknown needs it in its title"),
    "e.no_table_format": ("未给出表格格式", "no table format given"),
    "h.no_table_format": ("例如 gdstat template -t 2021 -o blank.xlsx", "e.g. gdstat template -t 2021 -o blank.xlsx"),
    "e.report_extra": ("gdstat report 需要可选组件 report（缺少 {missing}）", "gdstat report needs the optional report extra ({missing} missing)"),
    "h.report_extra": ("安装：pip install 'gdstat[report]'", "install it with: pip install 'gdstat[report]'"),
    "e.frames": ("to_frame 需要 pandas，但未安装", "to_frame needs pandas, which is not installed"),
    "e.docx_extra": ("写出 .docx 需要可选组件 docx（python-docx）", "writing .docx needs the optional docx extra (python-docx)"),
    "h.docx_extra": ("安装：pip install 'gdstat[docx]'", "install it with: pip install 'gdstat[docx]'"),
    "e.previous_not_earlier": ("上一年度的表是 {previous} 年的，不早于 {year} 年", "the previous report is of {previous}, not earlier than {year}"),
    "h.previous_not_earlier": ("用 --previous 给出更早一年的统计表", "give the earlier year's table with --previous"),
    "h.frames": ("pip install 'gdstat[frames]'", "pip install 'gdstat[frames]'"),
}


class _Formatter(string.Formatter):
    """``{n:word}`` counts in English: ``1 word``, ``2 words``; in Chinese the number alone."""

    def __init__(self, lang: str):
        self.lang = lang

    def format_field(self, value, spec: str):
        if spec and spec[0].isalpha() and isinstance(value, int):
            if self.lang != "en":
                return str(value)
            return f"{value} {spec if value == 1 else plural(spec)}"
        return super().format_field(value, spec)


def plural(word: str) -> str:
    if word.endswith("more"):
        return word
    return word[:-1] + "ies" if word.endswith("y") else word + "s"


def say(key: str, lang: str = DEFAULT_LANG, **params) -> str:
    zh, en = MESSAGES[key]
    return _Formatter(lang).format(en if lang == "en" else zh, **params)


# ----------------------------------------------------------------------------- the library's English texts


def _pattern(template: str):
    import re

    parts, seen = [], set()
    for literal, field, _spec, _conv in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field is not None:
            parts.append(f"(?P={field})" if field in seen else f"(?P<{field}>.+?)")
            seen.add(field)
    return re.compile("^" + "".join(parts) + "$", re.DOTALL)


_PATTERNS: list | None = None


def _limit_messages() -> None:
    """One error a limit (gdstat.limits holds their wording in both languages)."""
    from gdstat.limits import LIMITS

    for limit in LIMITS.values():
        MESSAGES[f"e.limit.{limit.name}"] = (
            f"{{path}}：{limit.zh}（{{amount}}）超过 {limit.name} 限制 {{most}}",
            f"{{path}}: {limit.what} ({{amount}}) exceeds the {limit.name} limit of {{most}} {limit.unit}")


_limit_messages()


def localise(text: str | None, lang: str) -> str | None:
    """A message the library wrote in English, in ``lang``: matched against the English templates
    (most specific first), its parts put into the Chinese one. A text no template matches is kept."""
    global _PATTERNS
    if text is None or lang == "en":
        return text
    if _PATTERNS is None:
        entries = [(key, en) for key, (_zh, en) in MESSAGES.items() if key[:2] in ("e.", "h.")]
        entries.sort(key=lambda item: -len(item[1].replace("{", "").replace("}", "")))
        _PATTERNS = [(key, _pattern(en)) for key, en in entries]
    for key, pattern in _PATTERNS:
        match = pattern.match(text)
        if match:
            return say(key, lang, **{k: localise(v, lang) if k in ("first", "why") else v
                                     for k, v in match.groupdict().items()})
    return text


def localise_hinted(text: str, lang: str) -> str:
    """A file's failure as batch records it, ``MESSAGE (hint: HINT)`` or a message alone, in ``lang``."""
    message, cut, hint = text.rpartition(" (hint: ")
    if not cut:
        return localise(text, lang)
    message, hint = localise(message, lang), localise(hint.removesuffix(")"), lang)
    return f"{message}（{say('hint', lang)}：{hint}）" if lang == "zh" else f"{message} (hint: {hint})"


# ----------------------------------------------------------------------------- which language


def _normalise(value: str) -> str | None:
    value = value.strip().lower().replace("-", "_")
    for lang in LANGS:
        if value == lang or value.startswith(lang + "_") or value.startswith(lang + "."):
            return lang
    return None


def find_config(start=None):
    """``(folder, settings)`` of the nearest ``gdstat.toml`` in ``start`` (default: the current
    folder) or a parent, else ``(None, {})``. A file that cannot be read is an error (exit 2)."""
    from pathlib import Path

    start = Path(start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        config = folder / CONFIG_NAME
        if config.is_file():
            import tomllib

            from gdstat.errors import UsageError

            try:
                return folder, tomllib.loads(config.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                raise UsageError(f"{config}: cannot be read ({exc})", hint="fix or remove gdstat.toml") from None
    return None, {}


def resolve_lang(option: str | None = None) -> str:
    """``--lang``, else ``GDSTAT_LANG``, else ``lang`` in gdstat.toml, else zh."""
    from gdstat.errors import UsageError

    if option:
        return option.lower()
    env = os.environ.get("GDSTAT_LANG")
    if env:
        lang = _normalise(env)
        if lang is None:
            raise UsageError(say("usage.lang", DEFAULT_LANG, value=env, where="GDSTAT_LANG"),
                             hint=say("usage.lang_hint", DEFAULT_LANG))
        return lang
    folder, settings = find_config()
    if "lang" in settings:
        lang = _normalise(str(settings["lang"]))
        if lang is None:
            where = str(folder / CONFIG_NAME)
            raise UsageError(say("usage.lang", DEFAULT_LANG, value=settings["lang"], where=where),
                             hint=say("usage.lang_hint", DEFAULT_LANG))
        return lang
    return DEFAULT_LANG
