import AdviserModel
import AdviserReports
import AdviserSolver
import Foundation
import Testing

/// The hand-made plan of RosterReportTests, with dated visits and coordinates, so every part of the page has data.
func reportPlan() -> Plan {
    var plan = samplePlan()
    plan.visits = [
        .init(adviser: "A1", school: "100001", date: CivilDate(iso: "2026-09-01")!, start: "09:00", end: "15:30", areas: ["lead"]),
        .init(adviser: "A1", school: "100001", date: CivilDate(iso: "2026-09-03")!, start: "09:00", end: "12:00", areas: ["literacy"]),
        .init(adviser: "A1", school: "100002", date: CivilDate(iso: "2026-09-08")!, start: "13:00", end: "15:30", areas: ["literacy"]),
    ]
    plan.schools[0].latitude = 53.41; plan.schools[0].longitude = -2.84
    plan.schools[1].latitude = 53.48; plan.schools[1].longitude = -2.89
    plan.advisers[0].homeLatitude = 53.40; plan.advisers[0].homeLongitude = -2.80
    plan.advisers[1].homeLatitude = 53.45; plan.advisers[1].homeLongitude = -2.95
    plan.advisers[2].homeLatitude = 53.50; plan.advisers[2].homeLongitude = -2.70
    return plan
}

@Suite struct HTMLReportTests {
    @Test func namesAreShownNotRun() {
        var plan = reportPlan()
        plan.scenario.name = "Trust <b>\"A&B\"</b>"
        plan.schools[1].name = "<script>alert(1)</script>"
        plan.advisers[0].name = "Ann <img src=x onerror=alert(2)>"
        plan.advisers[0].role = "it's \"HMI\""
        plan.unmet[0].detail = "</td></tr></table><script>alert(3)</script>"
        plan.unplaced = [.init(adviser: "A1", school: "100002", count: 1, reason: "<iframe src=x>")]
        let page = HTMLReport.page(plan)
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(page.contains("Ann &lt;img src=x onerror=alert(2)&gt;"))
        #expect(page.contains("it&apos;s &quot;HMI&quot;"))
        #expect(page.contains("&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;alert(3)&lt;/script&gt;"))
        #expect(page.contains("<title>Trust &lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt; — adviser plan report</title>"))
        #expect(page.contains("&lt;iframe src=x&gt;"))
        // No markup from the data reaches the page: no script, image, frame or bold tag at all.
        for tag in ["<script", "<img", "<iframe", "<b>\""] { #expect(!page.contains(tag), "\(tag)") }
    }

    @Test func summaryStatesTheFiguresOfThePlan() {
        let page = HTMLReport.page(reportPlan())
        func card(_ key: String, _ value: String, _ detail: String) -> String {
            "<div class=\"card\"><div class=\"k\">\(key)</div><div class=\"v\">\(value)</div><div class=\"d\">\(detail)</div></div>"
        }
        // The same figures as RosterReport.summary: 7.5 of 9.5 need-days, £4,750 of £10,000, 2 of 3 advisers.
        #expect(page.contains(card("Coverage", "79%", "7.5 of 9.5 need-days met")))
        #expect(page.contains(card("Unmet need", "2 days", "in 1 need at 1 school")))
        #expect(page.contains(card("Cost", "£4,750", "of £10,000 budget (48%)")))
        #expect(page.contains(card("Plan status", "Proven optimal", "no better plan exists")))
        #expect(page.contains(card("Schools", "2", "1 with a lead adviser")))
        #expect(page.contains(card("Advisers", "2 of 3 used", "10.3 of 20 days with travel (52%)")))
        #expect(page.contains(card("Visits", "3 dated", "1 Sep 2026 to 8 Sep 2026; every visit has a date")))
        #expect(page.contains("<tr><th scope=\"row\">Model</th><td class=\"long\">12 variables (9 integer), 10 constraints, 30 nonzeros</td></tr>"))
        #expect(page.contains("<tr><th scope=\"row\">Objective</th><td class=\"long\">1234.50</td></tr>"))
        #expect(page.contains("<td>maths</td><td class=\"num\">2</td><td class=\"num\">1</td><td>capacity exhausted</td><td class=\"long\">A1 has 0.5 days left</td>"))
        #expect(page.contains("<p class=\"sub\">Adviser plan report · programme 1 Sep 2026 to 21 Jul 2027 · 2 schools, 3 advisers</p>"))

        var unproven = reportPlan()
        unproven.status = .feasible
        unproven.gap = 0.0123
        unproven.bound = 1249.7
        let text = HTMLReport.page(unproven)
        #expect(text.contains(card("Plan status", "Gap 1.23%", "a good plan, not proven the best")))
        #expect(text.contains("feasible: the search stopped at the search limit before proving this the best plan; no plan can score above 1249.70."))
    }

    @Test func loadBarsAreDrawnToOneScale() {
        let page = HTMLReport.page(reportPlan())
        // A1: capacity 10 (the largest, so the full 1000 units), 7.5 visit days, 0.44 days of travel.
        #expect(page.contains("<rect x=\"0\" y=\"1\" width=\"1000.0\" height=\"18\" fill=\"#ffffff\" stroke=\"#8a96a3\" vector-effect=\"non-scaling-stroke\"/><rect x=\"0\" y=\"2\" width=\"750.0\" height=\"16\" fill=\"#1f77b4\"/><rect x=\"750.0\" y=\"2\" width=\"44.0\" height=\"16\" fill=\"#1f77b4\" fill-opacity=\"0.4\"/>"))
        #expect(page.contains("<div class=\"fig\"><strong>7.9</strong> of 10 days (79%)</div>"))
        // A2: capacity 5 is half the scale; A3 is unused: an empty frame.
        #expect(page.contains("<rect x=\"0\" y=\"1\" width=\"500.0\" height=\"18\" fill=\"#ffffff\" stroke=\"#8a96a3\" vector-effect=\"non-scaling-stroke\"/><rect x=\"0\" y=\"2\" width=\"200.0\" height=\"16\" fill=\"#ff7f0e\"/>"))
        #expect(page.contains("<div class=\"fig\"><strong>0</strong> of 5 days (0%)</div>"))
    }

    @Test func heatMapCountsVisitsPerWeekInTheMonthOfItsWednesday() {
        let page = HTMLReport.page(reportPlan())
        // Tue 1 and Thu 3 Sep 2026 fall in the week of Mon 31 Aug, which belongs to September (its Wednesday is 2 Sep).
        #expect(page.contains("<tr><th scope=\"row\">Sep 2026</th><td class=\"h5\" title=\"week of Mon 31 Aug 2026: 2 visits\"><span class=\"wc\">31 Aug</span><b>2</b></td><td class=\"h3\" title=\"week of Mon 7 Sep 2026: 1 visit\"><span class=\"wc\">7</span><b>1</b></td>"))
        #expect(!page.contains("<th scope=\"row\">Aug 2026</th>"))
        #expect(page.contains("<th scope=\"row\">Jul 2027</th>"))
        #expect(page.components(separatedBy: "<tr><th scope=\"row\">").count - 1 >= 11)
        var undated = reportPlan()
        undated.visits = []
        #expect(HTMLReport.page(undated).contains("This plan has no dated visits"))
    }

    @Test func mapJoinsEachSchoolToItsLeadAndMarksUnmetNeed() {
        let page = HTMLReport.page(reportPlan())
        #expect(page.components(separatedBy: "<line ").count - 1 == 1)  // one lead pairing, A1 at 100001
        #expect(page.components(separatedBy: "<circle class=\"s\"").count - 1 == 2)
        #expect(page.contains("<title>100002 Kirkby &quot;Hill&quot; Academy: no lead adviser; unmet need</title>"))
        #expect(page.contains("stroke=\"#d62728\" stroke-width=\"2.5\""))
        #expect(page.components(separatedBy: "dominant-baseline=").count - 1 == 3)  // a label per adviser
        #expect(page.contains("km</text>"))

        // A plan file from before coordinates were stored still loads, and the page says how to get a map.
        var old = reportPlan()
        for i in old.schools.indices { old.schools[i].latitude = nil; old.schools[i].longitude = nil }
        for i in old.advisers.indices { old.advisers[i].homeLatitude = nil; old.advisers[i].homeLongitude = nil }
        let oldPage = HTMLReport.page(old)
        #expect(oldPage.contains("This plan file has no coordinates"))
        #expect(!oldPage.contains("<line "))
    }

    @Test func coordinatesAreOptionalInPlanFiles() throws {
        let data = try reportPlan().jsonData()
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"home_latitude\" : 53.4") && text.contains("\"latitude\" : 53.41"))
        #expect(try Plan.decode(from: data) == reportPlan())
        // Without the fields (an older plan file) the plan decodes with no coordinates.
        let old = try Plan.decode(from: try samplePlan().jsonData())
        #expect(!String(decoding: try samplePlan().jsonData(), as: UTF8.self).contains("latitude"))
        #expect(old.schools.allSatisfy { $0.latitude == nil } && old.advisers.allSatisfy { $0.homeLatitude == nil })
    }

    @Test func samePlanSameBytes() throws {
        let first = HTMLReport.page(reportPlan())
        // The same plan through its file (new dictionaries, so any dependence on hash order would show).
        let reread = try Plan.decode(from: try reportPlan().jsonData())
        #expect(HTMLReport.page(reread) == first)
        let comparison = HTMLReport.Comparison(base: samplePlan(), plan: reportPlan(), baseLabel: "a.json", planLabel: "b.json")
        #expect(HTMLReport.page(reportPlan(), comparison: comparison) == HTMLReport.page(reread, comparison: comparison))
    }

    @Test func whatChangedOnlyWithTwoPlans() {
        let plan = reportPlan()
        let alone = HTMLReport.page(plan)
        #expect(!alone.contains("id=\"changes\""))
        #expect(!alone.contains("What changed"))

        // After: A3 takes over the lead of 100001 from A1, who keeps 100002.
        var after = plan
        after.assignments[0] = .init(adviser: "A3", school: "100001", role: .lead, days: ["literacy": 3, "maths": 1.5], leadDays: 2,
                                     travelMinutes: 30, capacityDays: 5, cost: 4550)
        let comparison = HTMLReport.Comparison(base: plan, plan: after, baseLabel: "base.json", planLabel: "after.json")
        let page = HTMLReport.page(after, comparison: comparison)
        #expect(page.contains("<a href=\"#changes\">What changed</a>"))
        #expect(page.contains("<section id=\"changes\">\n<h2>What changed</h2>"))
        #expect(page.contains("Before: <strong>base.json</strong>"))
        #expect(page.contains("<tr><th scope=\"row\">cost (£)</th><td class=\"num\">4,750</td><td class=\"num\">6,050</td><td class=\"num\">+1,300</td></tr>"))
        #expect(!page.contains("<th scope=\"row\">objective</th>"))
        #expect(page.contains("<tr><td>100001</td><td class=\"long\">St Aidan&apos;s Church of England Primary School, Huyton</td><td>A1 Ann Able</td><td>A3 Cy Idle</td><td>A1, A2</td><td>A2, A3</td><td>rebalanced</td></tr>"))
        #expect(page.contains("Pairings kept: 2; ended: 1; new: 1; dated visits kept: 3 of 3."))
        // Loads: A1 from 7.5 to 1 visit days, A3 from 0 to 6.5.
        #expect(page.contains("<td>A1 Ann Able</td><td class=\"num\">7.5</td><td class=\"num\">1</td><td class=\"num\">-6.5</td>"))
        #expect(page.contains("<td>A3 Cy Idle</td><td class=\"num\">0</td><td class=\"num\">6.5</td><td class=\"num\">+6.5</td>"))
        // The terminal what-if report says the same (shared rows).
        let costLine = DiffReport.text(comparison.diff, before: plan, after: after).split(separator: "\n").first { $0.hasPrefix("cost (£)") }
        #expect(costLine?.split(separator: " ").suffix(3) == ["4,750", "6,050", "+1,300"])
    }

    /// A programme of 450 schools, each led by one of 50 advisers (9 each), and one unmet need per school.
    func longPlan() -> Plan {
        var plan = samplePlan()
        plan.advisers = (0..<50).map { .init(id: String(format: "A%02d", $0), name: "Adviser \($0)", role: "", capacityDays: 40, maxSchools: 9, dayRate: 500) }
        plan.schools = (0..<450).map { .init(id: String(format: "S%03d", $0), name: "School \($0)", phase: .primary, localAuthority: "Knowsley", disadvantagedPct: 20) }
        plan.assignments = (0..<450).map { k in
            .init(adviser: String(format: "A%02d", k % 50), school: String(format: "S%03d", k), role: .lead, days: ["literacy": 2], leadDays: 2,
                  travelMinutes: 10, capacityDays: 4, cost: 2000)
        }
        plan.unmet = (0..<450).map { .init(school: String(format: "S%03d", $0), area: "maths", days: 1, priority: 1, reason: .capacityExhausted, detail: "") }
        return plan
    }

    /// Past 400 rows a table is split into parts of about 200 rows, each with the header and the same fixed
    /// column widths, and a browser may skip laying out those off screen; an adviser's rows stay together.
    @Test func longTablesAreSplitIntoPartsAShortOneIsNot() throws {
        let page = HTMLReport.page(longPlan())
        func section(_ id: String) throws -> String {
            let start = try #require(page.range(of: "<section id=\"\(id)\">"))
            return page[start.lowerBound...].components(separatedBy: "</section>")[0]
        }
        let bySchool = try section("by-school"), byAdviser = try section("by-adviser"), summary = try section("summary")
        let header = "<thead><tr><th scope=\"col\">school</th><th scope=\"col\">name</th>"
        // 450 schools: parts of 200, 200 and 50 rows.
        let schoolParts = bySchool.components(separatedBy: "<div class=\"table-wrap part\"><table class=\"part\" style=\"min-width:77em\">\n<colgroup><col style=\"width:7em\"><col>").dropFirst()
        #expect(schoolParts.map { $0.components(separatedBy: "<tr><td>S").count - 1 } == [200, 200, 50])
        #expect(schoolParts.allSatisfy { $0.hasPrefix("<col style=\"width:7.5em\">") && $0.contains(header) && $0.contains("</tbody></table></div>\n") })
        #expect(!bySchool.contains("<div class=\"table-wrap\"><table>"))
        // 50 advisers of 9 schools (10 rows each with the heading): a part closes once it has 200 rows.
        let adviserParts = byAdviser.components(separatedBy: "<div class=\"table-wrap part\">").dropFirst()
        #expect(adviserParts.map { $0.components(separatedBy: "<tr class=\"group\">").count - 1 } == [20, 20, 10])
        // Each part: the header's row, then each adviser's heading and nine schools.
        #expect(adviserParts.allSatisfy { $0.components(separatedBy: "<tr").count - 1 == ($0.components(separatedBy: "<tr class=\"group\">").count - 1) * 10 + 1 })
        // The unmet need table too; the page says how parts are laid out.
        #expect(summary.components(separatedBy: "<div class=\"table-wrap part\">").count - 1 == 3)
        #expect(page.contains(".part{content-visibility:auto;contain-intrinsic-size:auto 7000px}"))
        // Printed, every part is laid out (a part left to content-visibility printed whole, on pages of its own).
        let print = try #require(page.range(of: "@media print{"))
        #expect(page[print.upperBound...].contains(".part{content-visibility:visible}"))
        // 400 rows or fewer: one table, as before (300 schools; 350 rows by adviser with the headings).
        var short = longPlan()
        short.schools.removeLast(150)
        short.assignments.removeLast(150)
        short.unmet.removeLast(150)
        let shortPage = HTMLReport.page(short)
        #expect(!shortPage.contains("<div class=\"table-wrap part\">"))
        #expect(shortPage.components(separatedBy: "<table").count == shortPage.components(separatedBy: "<div class=\"table-wrap\"><table").count)
    }

    @Test func pageIsSelfContainedAndResponsive() {
        let page = HTMLReport.page(reportPlan(), comparison: .init(base: samplePlan(), plan: reportPlan(), baseLabel: "a", planLabel: "b"))
        #expect(page.hasPrefix("<!DOCTYPE html>\n<html lang=\"en-GB\">"))
        #expect(page.hasSuffix("</html>\n"))
        #expect(page.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"))
        #expect(page.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"))
        for outside in ["<script", "<link", "src=", "url(", "@import", "http:", "https:"] { #expect(!page.contains(outside), "\(outside)") }
        // Every table scrolls inside its own wrapper; every chart scales with the page.
        #expect(page.components(separatedBy: "<table").count == page.components(separatedBy: "<div class=\"table-wrap\"><table").count)
        let svgs = page.components(separatedBy: "<svg ").dropFirst()
        #expect(!svgs.isEmpty && svgs.allSatisfy { $0.hasPrefix("viewBox=") || $0.hasPrefix("class=\"ba\" viewBox=") })
        for id in ["summary", "changes", "load", "map", "calendar", "by-adviser", "by-school"] {
            #expect(page.contains("<section id=\"\(id)\""), "\(id)")
        }
    }
}
