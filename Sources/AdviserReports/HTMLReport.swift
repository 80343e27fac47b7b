import AdviserModel
import AdviserSolver
import Foundation

/// One self-contained HTML page about a plan, for a programme manager to email to a board or a funder: summary,
/// load per adviser, visits by week, a map, the roster both ways and, given a second plan, what changed.
///
/// The page needs nothing from the network and runs no script: CSS and SVG are inline, and a Content Security
/// Policy forbids everything else, so even a school named `<script>…` (which is escaped anyway) could not run.
/// Same plan, same bytes: no clock, no locale, every collection in plan or sorted order.
public enum HTMLReport {
    /// A second plan to compare with: `base` is "before", the reported plan "after".
    public struct Comparison: Sendable {
        public var base: Plan
        public var diff: PlanDiff
        /// How the two plans are named on the page, e.g. their file names.
        public var baseLabel: String
        public var planLabel: String

        /// Uses the same diff as `whatif` and `compare` (PlanDiff), so the page and the terminal agree.
        public init(base: Plan, plan: Plan, baseLabel: String, planLabel: String) {
            self.base = base
            // No scenario at hand: "no longer allowed" cannot be told apart, the other reasons can.
            self.diff = PlanDiff.between(base, plan, changed: nil)
            self.baseLabel = baseLabel
            self.planLabel = planLabel
        }
    }

    /// The whole page.
    public static func page(_ plan: Plan, comparison: Comparison? = nil) -> String {
        let title = plan.scenario.name.isEmpty ? "Adviser plan" : plan.scenario.name
        var h = """
        <!DOCTYPE html>
        <html lang="en-GB">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
        <title>\(esc(title)) — adviser plan report</title>
        <style>
        \(stylesheet)</style>
        </head>
        <body>
        <header class="top"><div class="page">
        <h1>\(esc(title))</h1>
        <p class="sub">\(esc(subtitle(plan)))</p>
        </div></header>
        <nav class="toc page" aria-label="Contents">
        <a href="#summary">Summary</a>
        """
        if comparison != nil { h += "<a href=\"#changes\">What changed</a>\n" }
        h += """
        <a href="#load">Adviser load</a>
        <a href="#map">Map</a>
        <a href="#calendar">Visits by week</a>
        <a href="#by-adviser">Roster by adviser</a>
        <a href="#by-school">Roster by school</a>
        </nav>
        <main class="page">

        """
        h += summarySection(plan)
        if let comparison { h += changesSection(plan, comparison) }
        h += HTMLCharts.loadSection(plan)
        // Side by side on a wide screen, one above the other on a narrow one.
        h += "<div class=\"duo\">\n" + HTMLCharts.mapSection(plan) + HTMLCharts.calendarSection(plan) + "</div>\n\n"
        h += rosterByAdviserSection(plan)
        h += rosterBySchoolSection(plan)
        h += """
        </main>
        <footer class="page"><p class="note">Made by adviser-planner from a plan of \(esc(title)) (scenario fingerprint <code>\(esc(plan.scenario.fingerprint))</code>). Figures are those of the plan file; <code>adviser-planner check</code> re-checks every rule against the scenario.</p></footer>
        </body>
        </html>

        """
        return h
    }

    // MARK: Summary

    static func subtitle(_ plan: Plan) -> String {
        var parts = ["Adviser plan report"]
        if let start = plan.scenario.start, let end = plan.scenario.end {
            parts.append("programme \(shortDate(start)) to \(shortDate(end))")
        }
        parts.append("\(plan.schools.count) school\(plural(plan.schools.count)), \(plan.advisers.count) adviser\(plural(plan.advisers.count))")
        return parts.joined(separator: " · ")
    }

    /// The status in a board member's words, with the gap where the plan is not proven best.
    static func statusHeadline(_ plan: Plan) -> (value: String, detail: String) {
        switch plan.status {
        case .optimal:
            return ("Proven optimal", "GLPK proved that no better plan exists under these rules and weights.")
        case .feasible, .timeLimit:
            let stop = plan.status == .timeLimit ? "the time limit" : "the search limit"
            var detail = "the search stopped at \(stop) before proving this the best plan"
            if let bound = plan.bound { detail += "; no plan can score above \(Figures.objective(bound))" }
            return ("Gap " + (plan.gap.map(Figures.percent) ?? "unknown"), detail + ".")
        case .infeasible:
            return ("No plan", "no plan keeps every hard rule.")
        }
    }

    static func summarySection(_ plan: Plan) -> String {
        let totals = PlanDiff.totals(plan, bonus: 0)
        let covered = totals.needDaysCovered, total = covered + totals.needDaysUnmet
        let coverage = total > 0 ? Figures.percent(covered / total) : "—"
        let unmetSchools = Set(plan.unmet.map(\.school)).count
        let leads = plan.assignments.filter { $0.role == .lead }.count
        let used = Set(plan.assignments.map(\.adviser)).count
        let daysUsed = plan.assignments.reduce(0) { $0 + $1.capacityDays }
        let capacity = plan.advisers.reduce(0) { $0 + $1.capacityDays }
        let unplacedCount = plan.unplaced.reduce(0) { $0 + $1.count }
        let status = statusHeadline(plan)

        var cards: [(String, String, String)] = []
        cards.append(("Coverage", coverage, "\(Figures.days(covered)) of \(Figures.days(total)) need-days met"))
        cards.append(("Unmet need", plan.unmet.isEmpty ? "None" : "\(Figures.days(totals.needDaysUnmet)) days",
                      plan.unmet.isEmpty ? "every need is met"
                        : "in \(plan.unmet.count) need\(plural(plan.unmet.count)) at \(unmetSchools) school\(plural(unmetSchools))"))
        if let budget = plan.scenario.budget, budget > 0 {
            cards.append(("Cost", Figures.pounds(totals.cost), "of \(Figures.pounds(budget)) budget (\(HTMLCharts.wholePercent(totals.cost / budget)))"))
        } else {
            cards.append(("Cost", Figures.pounds(totals.cost), "no budget set"))
        }
        cards.append(("Plan status", status.value, plan.status == .optimal ? "no better plan exists" : "a good plan, not proven the best"))
        cards.append(("Schools", String(plan.schools.count), "\(leads) with a lead adviser"))
        cards.append(("Advisers", "\(used) of \(plan.advisers.count) used",
                      "\(Figures.days(daysUsed)) of \(Figures.days(capacity)) days with travel" + (capacity > 0 ? " (\(HTMLCharts.wholePercent(daysUsed / capacity)))" : "")))
        var visitDetail = unplacedCount == 0 ? "every visit has a date" : "\(unplacedCount) could not be placed"
        if let first = plan.visits.map(\.date).min(), let last = plan.visits.map(\.date).max() {
            visitDetail = "\(shortDate(first)) to \(shortDate(last)); " + visitDetail
        }
        cards.append(("Visits", "\(plan.visits.count) dated", visitDetail))

        var h = "<section id=\"summary\">\n<h2>Summary</h2>\n<div class=\"cards\">\n"
        for (key, value, detail) in cards {
            h += "<div class=\"card\"><div class=\"k\">\(esc(key))</div><div class=\"v\">\(esc(value))</div><div class=\"d\">\(esc(detail))</div></div>\n"
        }
        h += "</div>\n"

        h += "<h3>Solve facts</h3>\n<div class=\"table-wrap\"><table class=\"facts\"><tbody>\n"
        var facts: [(String, String)] = [("Status", plan.status.rawValue + ": " + status.detail)]
        if let objective = plan.objective { facts.append(("Objective", Figures.objective(objective))) }
        if let bound = plan.bound { facts.append(("Bound", Figures.objective(bound))) }
        facts.append(("Gap", plan.status == .optimal ? "0 (proven optimal)" : plan.gap.map(Figures.percent) ?? "unknown"))
        facts.append(("Model", "\(Figures.grouped(Double(plan.model.variables))) variables (\(Figures.grouped(Double(plan.model.integerVariables))) integer), \(Figures.grouped(Double(plan.model.constraints))) constraints, \(Figures.grouped(Double(plan.model.nonzeros))) nonzeros"))
        facts.append(("Pairings", "\(plan.assignments.count) adviser-school pairings, \(leads) of them leads"))
        facts.append(("Travel", "\(Figures.grouped(totals.travelHours)) hours, round trips over all visit days"))
        if let start = plan.scenario.start, let end = plan.scenario.end {
            facts.append(("Programme", "\(shortDate(start)) to \(shortDate(end))"))
        }
        facts.append(("Solve time", "not stored in plan files, so that the same plan always gives the same report; solve prints it"))
        for (key, value) in facts {
            h += "<tr><th scope=\"row\">\(esc(key))</th><td class=\"long\">\(esc(value))</td></tr>\n"
        }
        h += "</tbody></table></div>\n"

        if !plan.unmet.isEmpty {
            h += "<h3>Unmet need</h3>\n"
            h += "<p class=\"note\">Need-days that no adviser in the plan supplies, with the reason.</p>\n"
            h += longTable(["school", "name", "area", "days", "priority", "reason", "detail"], numeric: [3, 4],
                           widths: [7, nil, 8, 4.5, 5.5, 11, nil], rows: plan.unmet.map { u in
                "<tr><td>\(esc(u.school))</td><td class=\"long\">\(esc(plan.school(u.school)?.name ?? ""))</td><td>\(esc(u.area))</td>"
                    + "<td class=\"num\">\(Figures.days(u.days))</td><td class=\"num\">\(u.priority)</td>"
                    + "<td>\(esc(u.reason.rawValue.replacingOccurrences(of: "_", with: " ")))</td><td class=\"long\">\(esc(u.detail))</td></tr>\n"
            }.map { [$0] })
        }
        if !plan.unplaced.isEmpty {
            h += "<h3>Visits without a date</h3>\n"
            h += tableStart(["adviser", "school", "name", "visits", "reason"], numeric: [3])
            for u in plan.unplaced {
                h += "<tr><td>\(esc(u.adviser))</td><td>\(esc(u.school))</td><td class=\"long\">\(esc(plan.school(u.school)?.name ?? ""))</td>"
                h += "<td class=\"num\">\(u.count)</td><td class=\"long\">\(esc(u.reason))</td></tr>\n"
            }
            h += tableEnd
        }
        return h + "</section>\n\n"
    }

    // MARK: What changed

    static func changesSection(_ plan: Plan, _ c: Comparison) -> String {
        let diff = c.diff
        func adviserName(_ id: String?) -> String {
            guard let id else { return "—" }
            let name = plan.adviser(id)?.name ?? c.base.adviser(id)?.name ?? ""
            return name.isEmpty ? id : "\(id) \(name)"
        }
        var h = "<section id=\"changes\">\n<h2>What changed</h2>\n"
        h += "<p>Before: <strong>\(esc(c.baseLabel))</strong> (\(esc(c.base.scenario.name)), \(esc(c.base.status.rawValue))). "
        h += "After: <strong>\(esc(c.planLabel))</strong> (\(esc(plan.scenario.name)), \(esc(plan.status.rawValue))). The rest of this report shows the plan after.</p>\n"
        // The objective is left out: a what-if plan's stored objective includes its disruption bonus.
        h += tableStart(["", "before", "after", "change"], numeric: [1, 2, 3])
        for row in DiffReport.totalRows(diff, objective: false) {
            h += "<tr><th scope=\"row\">\(esc(row.label))</th><td class=\"num\">\(esc(row.before))</td><td class=\"num\">\(esc(row.after))</td><td class=\"num\">\(esc(row.change))</td></tr>\n"
        }
        h += tableEnd
        h += "<p>\(esc(DiffReport.keptLine(diff, after: plan))).</p>\n"

        if diff.schools.isEmpty {
            h += "<p>No school changes adviser.</p>\n"
        } else {
            h += "<h3>Schools whose advisers change</h3>\n"
            h += "<p class=\"note\">Why: the adviser left; capacity (the former adviser has fewer days); new school; school removed; or rebalanced (work moved to cover more need or to a better match).</p>\n"
            h += longTable(["school", "name", "lead before", "lead after", "advisers before", "advisers after", "why"], numeric: [],
                           widths: [7, nil, 12, 12, 10, 10, 9], rows: diff.schools.map { s in [
                "<tr><td>\(esc(s.school))</td><td class=\"long\">\(esc(s.name))</td><td>\(esc(adviserName(s.leadBefore)))</td>"
                    + "<td>\(esc(adviserName(s.leadAfter)))</td><td>\(esc(s.advisersBefore.joined(separator: ", ")))</td>"
                    + "<td>\(esc(s.advisersAfter.joined(separator: ", ")))</td><td>\(esc(s.why))</td></tr>\n",
            ] })
        }
        if !diff.advisers.isEmpty {
            h += "<h3>Advisers whose load changes</h3>\n"
            h += "<p class=\"note\">Visit days before (grey) and after (blue), on one scale.</p>\n"
            let most = max(1, diff.advisers.map { max($0.daysBefore, $0.daysAfter) }.max() ?? 1)
            h += longTable(["adviser", "before", "after", "change", "load", "schools before", "schools after"], numeric: [1, 2, 3],
                           widths: [12, 5, 5, 5.5, 13.5, nil, nil], rows: diff.advisers.map { a in
                let delta = a.daysAfter - a.daysBefore
                let change = abs(delta) < 1e-9 ? "—" : (delta > 0 ? "+" : "-") + Figures.days(abs(delta))
                return ["<tr><td>\(esc(adviserName(a.adviser)))</td><td class=\"num\">\(Figures.days(a.daysBefore))</td>"
                    + "<td class=\"num\">\(Figures.days(a.daysAfter))</td><td class=\"num\">\(esc(change))</td>"
                    + "<td>\(HTMLCharts.beforeAfterBars(a.daysBefore, a.daysAfter, scale: most))</td>"
                    + "<td class=\"list\">\(esc(a.schoolsBefore.joined(separator: ", ")))</td><td class=\"list\">\(esc(a.schoolsAfter.joined(separator: ", ")))</td></tr>\n"]
            })
        }
        return h + "</section>\n\n"
    }

    // MARK: Rosters

    static func rosterByAdviserSection(_ plan: Plan) -> String {
        let visitCounts = visitsPerPairing(plan)
        var h = "<section id=\"by-adviser\">\n<h2>Roster by adviser</h2>\n"
        h += "<p class=\"note\">Each adviser's schools, the days by area (<em>lead</em> is the lead's own oversight days), one-way travel, days of capacity used with travel, cost and visits dated.</p>\n"
        var groups: [[String]] = []
        var idle: [String] = []
        let byAdviser = Dictionary(grouping: plan.assignments, by: \.adviser)
        for (index, adviser) in plan.advisers.enumerated() {
            let mine = (byAdviser[adviser.id] ?? [])
                .sorted { ($0.role == .lead ? 0 : 1, $0.school) < ($1.role == .lead ? 0 : 1, $1.school) }
            if mine.isEmpty { idle.append(adviser.id); continue }
            let used = mine.reduce(0) { $0 + $1.capacityDays }, cost = mine.reduce(0) { $0 + $1.cost }
            var who = "<span class=\"swatch\" style=\"background:\(HTMLCharts.colour(index))\"></span>\(esc(adviser.id)) \(esc(adviser.name))"
            if !adviser.role.isEmpty { who += " <span class=\"role\">(\(esc(adviser.role)))</span>" }
            let load = "\(Figures.days(used)) of \(Figures.days(adviser.capacityDays)) days with travel · \(mine.count) of \(adviser.maxSchools) schools · \(Figures.pounds(cost))"
            groups.append(["<tr class=\"group\"><th colspan=\"8\">\(who) <span class=\"load-note\">\(esc(load))</span></th></tr>\n"] + mine.map { a in
                "<tr><td>\(esc(a.role.rawValue))</td><td>\(esc(a.school))</td><td class=\"long\">\(esc(plan.school(a.school)?.name ?? ""))</td>"
                    + "<td class=\"long\">\(esc(RosterReport.areas(a)))</td><td class=\"num\">\(Int(a.travelMinutes.rounded())) min</td>"
                    + "<td class=\"num\">\(Figures.days(a.capacityDays))</td><td class=\"num\">\(Figures.pounds(a.cost))</td>"
                    + "<td class=\"num\">\(visitCounts[a.adviser + "|" + a.school] ?? 0)</td></tr>\n"
            })
        }
        h += longTable(["role", "school", "name", "days by area", "travel", "days with travel", "cost", "visits"], numeric: [4, 5, 6, 7],
                       widths: [6.5, 7, nil, 16, 5.5, 7.5, 6.5, 4.5], rows: groups)
        if !idle.isEmpty { h += "<p>Not used: \(esc(idle.joined(separator: ", "))).</p>\n" }
        return h + "</section>\n\n"
    }

    static func rosterBySchoolSection(_ plan: Plan) -> String {
        let visitCounts = visitsPerSchool(plan)
        var h = "<section id=\"by-school\">\n<h2>Roster by school</h2>\n"
        h += "<p class=\"note\">Each school's lead adviser and specialists, the adviser days it receives (lead days included), visits dated and any unmet need. <em>Disadv.</em> is the share of disadvantaged pupils.</p>\n"
        // Grouped once: a national plan has 22,000 schools and 35,000 pairings.
        let bySchool = Dictionary(grouping: plan.assignments, by: \.school), unmetBySchool = Dictionary(grouping: plan.unmet, by: \.school)
        let rows = plan.schools.map { school in
            let mine = bySchool[school.id] ?? []
            let lead = mine.first { $0.role == .lead }.map { a in
                let name = plan.adviser(a.adviser)?.name ?? ""
                return name.isEmpty ? a.adviser : "\(a.adviser) \(name)"
            } ?? "—"
            let specialists = mine.filter { $0.role == .specialist }.map(\.adviser).sorted().joined(separator: ", ")
            let days = mine.reduce(0) { $0 + $1.visitDays }
            let gaps = (unmetBySchool[school.id] ?? []).map { "\($0.area) \(Figures.days($0.days))" }.joined(separator: ", ")
            return ["<tr><td>\(esc(school.id))</td><td class=\"long\">\(esc(school.name))</td><td>\(esc(school.phase.rawValue))</td>"
                + "<td>\(esc(school.localAuthority))</td><td class=\"num\">\(Figures.days(school.disadvantagedPct))%</td>"
                + "<td>\(esc(lead))</td><td>\(esc(specialists))</td><td class=\"num\">\(Figures.days(days))</td>"
                + "<td class=\"num\">\(visitCounts[school.id] ?? 0)</td><td class=\"list\(gaps.isEmpty ? "" : " unmet")\">\(esc(gaps))</td></tr>\n"]
        }
        h += longTable(["school", "name", "phase", "local authority", "disadv.", "lead", "specialists", "days", "visits", "unmet"],
                       numeric: [4, 7, 8], widths: [7, nil, 7.5, 9, 5.5, 12, 8, 4.5, 4.5, 9], rows: rows)
        return h + "</section>\n\n"
    }

    static func visitsPerPairing(_ plan: Plan) -> [String: Int] {
        var counts: [String: Int] = [:]
        for v in plan.visits { counts[v.adviser + "|" + v.school, default: 0] += 1 }
        return counts
    }

    static func visitsPerSchool(_ plan: Plan) -> [String: Int] {
        var counts: [String: Int] = [:]
        for v in plan.visits { counts[v.school, default: 0] += 1 }
        return counts
    }

    // MARK: Pieces

    /// A table inside a wrapper that scrolls sideways on a narrow screen, so the page itself never does.
    static func tableStart(_ headers: [String], numeric: Set<Int> = []) -> String {
        "<div class=\"table-wrap\"><table>\n" + tableHead(headers, numeric: numeric)
    }

    /// The header row, and the body opened after it.
    static func tableHead(_ headers: [String], numeric: Set<Int>) -> String {
        var h = "<thead><tr>"
        for (i, header) in headers.enumerated() {
            h += "<th scope=\"col\"\(numeric.contains(i) ? " class=\"num\"" : "")>\(esc(header))</th>"
        }
        return h + "</tr></thead>\n<tbody>\n"
    }

    static let tableEnd = "</tbody></table></div>\n"

    /// Tables longer than this are split into parts (a national plan's rosters have 22,000 and 35,000 rows).
    static let longTableRows = 400
    /// About this many rows to a part; a group of rows (an adviser's heading and schools) is never split.
    static let rowsPerPart = 200

    /// A table of `rows` (in groups that stay together), as one table when it is short. A long one is split
    /// into parts that each repeat the header: a browser skips laying out the parts off screen
    /// (`content-visibility`), so a national plan's page shows in seconds rather than most of a minute, and
    /// the fixed column widths (`widths`, in em; nil shares what is left) keep the parts' columns in line.
    static func longTable(_ headers: [String], numeric: Set<Int>, widths: [Double?], rows groups: [[String]]) -> String {
        let total = groups.reduce(0) { $0 + $1.count }
        guard total > longTableRows else { return tableStart(headers, numeric: numeric) + groups.joined().joined() + tableEnd }
        let columns = widths.map { w in w.map { "<col style=\"width:\(Figures.days($0))em\">" } ?? "<col>" }.joined()
        let minimum = widths.reduce(0) { $0 + ($1 ?? 10) }
        let start = "<div class=\"table-wrap part\"><table class=\"part\" style=\"min-width:\(Figures.days(minimum))em\">\n<colgroup>\(columns)</colgroup>\n"
            + tableHead(headers, numeric: numeric)
        var h = "", part = "", rowsInPart = 0
        for group in groups {
            part += group.joined()
            rowsInPart += group.count
            if rowsInPart >= rowsPerPart {
                h += start + part + tableEnd
                part = ""
                rowsInPart = 0
            }
        }
        if rowsInPart > 0 { h += start + part + tableEnd }
        return h
    }

    /// Text for HTML content and attribute values: & < > " ' escaped (the same rules as the SVG charts).
    static func esc(_ text: String) -> String { SensitivityView.xml(text) }

    static func plural(_ n: Int) -> String { n == 1 ? "" : "s" }

    /// "5 Jan 2026".
    static func shortDate(_ d: CivilDate) -> String { "\(d.day) \(ScheduleReport.monthNames[d.month - 1]) \(d.year)" }

    // Light colours only (printing, projectors); layout switches at 640 px for phones.
    static let stylesheet = """
    :root{color-scheme:light}
    *{box-sizing:border-box}
    html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
    body{margin:0;background:#f3f5f8;color:#1c232b;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
    .page{max-width:1180px;margin:0 auto;padding-left:20px;padding-right:20px}
    header.top{background:#17324d;color:#fff;padding:22px 0 18px}
    h1{font-size:1.75rem;line-height:1.2;margin:0 0 6px;overflow-wrap:anywhere}
    .sub{margin:0;color:#cfdbe7}
    nav.toc{display:flex;flex-wrap:wrap;gap:6px 16px;padding-top:12px;padding-bottom:4px;font-size:.92rem}
    nav.toc a{color:#1d5a94;text-decoration:none}
    nav.toc a:hover{text-decoration:underline}
    section{background:#fff;border:1px solid #dce2e9;border-radius:8px;padding:16px 20px;margin:14px 0}
    h2{font-size:1.3rem;margin:0 0 10px}
    h3{font-size:1.05rem;margin:18px 0 6px}
    p{margin:6px 0}
    .note{color:#56616d;font-size:.9rem}
    code{font-size:.85em;overflow-wrap:anywhere}
    .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:10px}
    .card{border:1px solid #dce2e9;border-radius:6px;padding:10px 12px;background:#f9fafc;min-width:0}
    .card .k{font-size:.78rem;text-transform:uppercase;letter-spacing:.04em;color:#56616d}
    .card .v{font-size:1.4rem;font-weight:650;line-height:1.25;margin:2px 0}
    .card .d{font-size:.85rem;color:#56616d}
    .table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:8px 0;border:1px solid #e1e6ec;border-radius:6px}
    .part{content-visibility:auto;contain-intrinsic-size:auto 7000px}
    table.part{table-layout:fixed}
    table.part td,table.part th{white-space:normal;overflow-wrap:break-word}
    table{border-collapse:collapse;width:100%;font-size:.88rem}
    th,td{padding:5px 10px;text-align:left;vertical-align:top;border-bottom:1px solid #edf0f4;white-space:nowrap}
    thead th{background:#eef2f6;font-weight:600}
    tbody th{font-weight:600}
    .num{text-align:right;font-variant-numeric:tabular-nums}
    td.long{white-space:normal;min-width:13em}
    td.list{white-space:normal;min-width:9em}
    table.facts th{width:9em}
    td.unmet{color:#a3201d}
    tr.group th{background:#f5f7fa;border-top:2px solid #dce2e9;white-space:normal}
    .role{font-weight:400;color:#56616d}
    .load-note{display:inline-block;font-weight:400;color:#56616d;margin-left:.6em}
    .swatch{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin-right:.4em;vertical-align:-.05em}
    .legend{display:flex;flex-wrap:wrap;gap:4px 16px;font-size:.85rem;color:#56616d;margin:6px 0}
    .lrow{display:grid;grid-template-columns:minmax(12em,19em) minmax(0,1fr) 12.5em;grid-template-areas:"who bar fig";gap:2px 14px;align-items:center;padding:5px 0;border-bottom:1px solid #f0f2f5}
    .lrow .who{grid-area:who;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
    .lrow svg{grid-area:bar;display:block;width:100%;height:18px}
    .lrow .fig{grid-area:fig;font-variant-numeric:tabular-nums;font-size:.9rem;white-space:nowrap;text-align:right}
    table.heat td,table.heat th{text-align:center;padding:4px 6px;border:2px solid #fff}
    table.heat th[scope=row]{text-align:left}
    table.heat td .wc{display:block;font-size:.7rem;opacity:.8;line-height:1.1}
    table.heat td b{font-size:.95rem}
    .h0{background:#f1f3f6;color:#9aa4ae}.h1{background:#deebf7}.h2{background:#b3d3ec}.h3{background:#6baed6}.h4{background:#2f7ebc;color:#fff}.h5{background:#08519c;color:#fff}
    @media (min-width:1000px){.duo{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:14px;align-items:start;margin:14px 0}.duo>section{margin:0}}
    .map svg{display:block;width:100%;height:auto;max-width:820px;margin:0 auto}
    .map text{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round;font-size:13px;font-weight:600}
    .map text.scale{font-weight:400;font-size:12px}
    svg.ba{display:block;width:160px;height:16px}
    footer{padding-bottom:30px}
    @media (max-width:640px){
    .page{padding-left:12px;padding-right:12px}
    section{padding:12px;margin:10px 0}
    h1{font-size:1.4rem}
    .cards{grid-template-columns:1fr 1fr;gap:8px}
    .card .v{font-size:1.15rem}
    .lrow{grid-template-columns:minmax(0,1fr) auto;grid-template-areas:"who fig" "bar bar"}
    th,td{padding:5px 6px}
    td.long{min-width:11em}
    table.facts th{width:6.5em}
    table.heat{font-size:.8rem}
    table.heat td,table.heat th{padding:3px 2px}
    .map text{font-size:24px;stroke-width:5px}
    .map text.scale{font-size:20px}
    .map circle.s{r:9px}
    }
    @media print{
    body{background:#fff}
    nav.toc{display:none}
    section{border:none;padding:0;break-inside:auto}
    .table-wrap{overflow:visible;border:none}
    .part{content-visibility:visible}
    }

    """
}
