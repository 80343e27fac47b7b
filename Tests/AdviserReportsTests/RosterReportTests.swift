import AdviserModel
import AdviserReports
import AdviserSolver
import Foundation
import Testing

/// A plan written by hand, so that the views can be pinned byte for byte.
func samplePlan() -> Plan {
    var plan = Plan(
        scenario: .init(name: "Sample", fingerprint: "sha256:abc", start: CivilDate(iso: "2026-09-01"), end: CivilDate(iso: "2027-07-21"), budget: 10000),
        status: .optimal, objective: 1234.5, bound: 1234.5, gap: 0,
        model: .init(variables: 12, integerVariables: 9, constraints: 10, nonzeros: 30),
        assignments: [
            .init(adviser: "A1", school: "100001", role: .lead, days: ["literacy": 3, "maths": 1.5], leadDays: 2,
                  travelMinutes: 22.4, capacityDays: 6.9, cost: 3250),
            .init(adviser: "A2", school: "100001", role: .specialist, days: ["send": 2], leadDays: 0,
                  travelMinutes: 41.6, capacityDays: 2.4, cost: 1000),
            .init(adviser: "A1", school: "100002", role: .specialist, days: ["literacy": 1], leadDays: 0,
                  travelMinutes: 9.5, capacityDays: 1.04, cost: 500),
        ],
        unmet: [.init(school: "100002", area: "maths", days: 2, priority: 1, reason: .capacityExhausted, detail: "A1 has 0.5 days left")])
    plan.advisers = [
        .init(id: "A1", name: "Ann Able", role: "former HMI", capacityDays: 10, maxSchools: 3, dayRate: 500),
        .init(id: "A2", name: "Bob Best", role: "", capacityDays: 5, maxSchools: 2, dayRate: 500),
        .init(id: "A3", name: "Cy Idle", role: "trust CEO", capacityDays: 5, maxSchools: 2, dayRate: 700),
    ]
    plan.schools = [
        .init(id: "100001", name: "St Aidan's Church of England Primary School, Huyton", phase: .primary, localAuthority: "Knowsley", disadvantagedPct: 48),
        .init(id: "100002", name: "Kirkby \"Hill\" Academy", phase: .secondary, localAuthority: "Knowsley", disadvantagedPct: 31.5),
    ]
    return plan
}

@Suite struct RosterReportTests {
    @Test func adviserViewIsExact() {
        #expect(RosterReport.byAdviser(samplePlan()) == """
        A1  Ann Able (former HMI)
            7.9 of 10 days with travel · 2 of 3 schools · £3,750
            role        school  name                           days by area                   travel
            ----------  ------  -----------------------------  -----------------------------  ------
            lead        100001  St Aidan's Church of England…  lead 2, literacy 3, maths 1.5  22 min
            specialist  100002  Kirkby "Hill" Academy          literacy 1                     10 min

        A2  Bob Best
            2.4 of 5 days with travel · 1 of 2 schools · £1,000
            role        school  name                           days by area  travel
            ----------  ------  -----------------------------  ------------  ------
            specialist  100001  St Aidan's Church of England…  send 2        42 min

        Not used: A3


        """)
    }

    @Test func schoolViewIsExact() {
        #expect(RosterReport.bySchool(samplePlan()) == """
        school  name                           lead  specialists  days  unmet
        ------  -----------------------------  ----  -----------  ----  -------
        100001  St Aidan's Church of England…  A1    A2            8.5
        100002  Kirkby "Hill" Academy          —     A1              1  maths 2

        """)
    }

    @Test func summaryStatesStatusCoverageCostAndModel() {
        let text = RosterReport.summary(samplePlan(), seconds: 0.25)
        #expect(text.hasPrefix("""
        Plan for Sample: optimal, objective 1234.50 (proven optimal)
        Need-days covered: 7.5 of 9.5 (79%); unmet: 2 days in 1 need
        Schools: 2, with a lead adviser: 1; advisers used: 2 of 3
        Cost: £4,750 of £10,000 budget
        Model: 12 variables (9 integer), 10 constraints, 30 nonzeros; solved in 0.25 s

        Unmet needs:
        """))
        #expect(text.contains("100002  maths     2         1  capacity exhausted  A1 has 0.5 days left"))
        var unproven = samplePlan()
        unproven.status = .timeLimit
        unproven.gap = 0.0123
        unproven.bound = 1249.7
        #expect(RosterReport.summary(unproven).hasPrefix("Plan for Sample: time_limit, objective 1234.50, gap 1.23% (bound 1249.70)\n"))
    }

    /// A time-limited plan whose small regions ended at their node limit says both, not "stopped after N
    /// nodes" under a `time_limit` status; a node-limited plan says the node limit; a proven plan says nothing.
    @Test func theNodeLimitNoteNamesWhatEndedTheSearch() {
        var plan = samplePlan()
        plan.status = .timeLimit
        #expect(RosterReport.nodeLimitNote(plan, nodes: 15137, stoppedByNodeLimit: true)
                == "Some regions stopped at their node limit (--node-limit, counted per region) and the rest at --time-limit, after 15,137 nodes in all; the gap above says how far from proven the plan is.\n")
        #expect(RosterReport.nodeLimitNote(plan, nodes: 15137, stoppedByNodeLimit: false) == nil)
        plan.status = .feasible
        #expect(RosterReport.nodeLimitNote(plan, nodes: 4001, stoppedByNodeLimit: true)
                == "Search stopped after 4,001 nodes (--node-limit); the gap above says how far from proven the plan is.\n")
        plan.status = .optimal
        #expect(RosterReport.nodeLimitNote(plan, nodes: 4001, stoppedByNodeLimit: true) == nil)
    }

    /// `solve --summary` lists only the largest unmet needs (priority times days), in the plan's order, and
    /// counts them all; with room for every one, or without a limit, nothing is left out or added.
    @Test func aShortSummaryListsTheLargestUnmetNeeds() {
        var plan = samplePlan()
        plan.unmet = [
            .init(school: "100002", area: "maths", days: 2, priority: 1, reason: .capacityExhausted, detail: "A1 has 0.5 days left"),
            .init(school: "100001", area: "literacy", days: 0.5, priority: 1, reason: .capacityExhausted, detail: "A1 has 0.5 days left"),
            .init(school: "100001", area: "send", days: 1, priority: 3, reason: .noEligibleAdviser, detail: "nobody has send expertise"),
        ]
        let short = RosterReport.summary(plan, width: nil, unmetShown: 2)
        #expect(short.hasSuffix("""
            Unmet needs:
              school  area   days  priority  reason               detail
              ------  -----  ----  --------  -------------------  -------------------------
              100002  maths     2         1  capacity exhausted   A1 has 0.5 days left
              100001  send      1         3  no eligible adviser  nobody has send expertise
              The 2 largest (priority times days) of 3 unmet needs.

            """))
        let whole = RosterReport.summary(plan, width: nil)
        #expect(RosterReport.summary(plan, width: nil, unmetShown: 3) == whole)
        #expect(whole.contains("100001  literacy") && !whole.contains("largest"))
    }

    /// On a terminal, a summary line longer than its width breaks at spaces and goes on indented; the
    /// lines that fit, and every line written to a file or pipe (no width), keep their bytes.
    @Test func summaryLinesFitTheTerminal() {
        var unproven = samplePlan()
        unproven.status = .timeLimit
        unproven.gap = 0.0123
        unproven.bound = 1249.7
        let whole = RosterReport.summary(unproven, seconds: 0.25, width: nil)
        #expect(RosterReport.summary(unproven, seconds: 0.25, width: 200) == whole)
        #expect(TextTable.fitProse(whole, width: nil) == whole)
        let fitted = RosterReport.summary(unproven, seconds: 0.25, width: 50)
        #expect(fitted.hasPrefix("""
            Plan for Sample: time_limit, objective 1234.50,
              gap 1.23% (bound 1249.70)
            Need-days covered: 7.5 of 9.5 (79%); unmet: 2 days
              in 1 need
            Schools: 2, with a lead adviser: 1; advisers used:
              2 of 3
            Cost: £4,750 of £10,000 budget
            Model: 12 variables (9 integer), 10 constraints,
              30 nonzeros; solved in 0.25 s

            Unmet needs:
              school  area   days  priority  reason
            """))
        // The prose fits; the table below it is at its columns' floors (8 characters for text).
        #expect(fitted.split(separator: "\n\n")[0].split(separator: "\n").allSatisfy { $0.count <= 50 })
        // Indented lines keep their indent, and continue two further in.
        #expect(TextTable.fitProse("  A01 at 104432: 2 visits: no free day before the end\n", width: 30) == """
              A01 at 104432: 2 visits: no
                free day before the end

            """)
    }

    @Test func figuresReadLikeAManagerWritesThem() {
        #expect(Figures.timeLeft(4) == "a few seconds")
        #expect(Figures.timeLeft(44) == "about 40 s")
        #expect(Figures.timeLeft(114) == "about 110 s")
        #expect(Figures.timeLeft(116) == "about 2 min")
        #expect(Figures.timeLeft(125) == "about 2 min")
        #expect(Figures.timeLeft(7169) == "about 119 min")
        #expect(Figures.timeLeft(7200) == "about 2 h")
        #expect(Figures.timeLeft(3.4 * 3600) == "about 3 h 20 min")
        #expect(Figures.timeLeft(.infinity) == "unknown")
        #expect(Figures.timeLeft(1e300) == "more than 100 h")
        #expect(Figures.grouped(1234567.4) == "1,234,567")
        #expect(Figures.grouped(-1234) == "-1,234")
        #expect(Figures.pounds(999) == "£999")
        #expect(Figures.days(2.0) == "2")
        #expect(Figures.days(2.46) == "2.5")
        #expect(Figures.percent(0.0123) == "1.23%")
        #expect(Figures.percent(0.456) == "46%")
    }

    /// Fitted to a terminal: the widest text column gives way first, numbers and headers are never cut,
    /// and a table that cannot fit is as narrow as its columns allow.
    @Test func tablesNarrowTheirWidestTextColumnToFitATerminal() {
        var table = TextTable(headers: ["school", "name", "detail", "days"], alignments: [.left, .left, .left, .right])
        table.add(["104432", "Millbrook Community Primary School", "A04 is at its limit of 4 schools", "2.5"])
        table.add(["104441", "Plantation Primary", "A09 has 0.2 days left", "10"])
        #expect(table.render(width: 200) == table.render(width: nil))
        // Natural widths 6, 34, 32, 4 with three gaps of two: 82. At 60 the name gives up 2, then the two
        // take turns (the detail first, as the rightmost of equals): 22 each, 6 + 22 + 22 + 4 + 6 = 60.
        #expect(table.render(indent: "  ", width: 62) == """
              school  name                    detail                  days
              ------  ----------------------  ----------------------  ----
              104432  Millbrook Community P…  A04 is at its limit o…   2.5
              104441  Plantation Primary      A09 has 0.2 days left     10

            """)
        // Too narrow for anything but the floors: 8 for text (the header when longer), numbers whole.
        #expect(table.render(width: 10).split(separator: "\n").first == "school  name      detail    days")
    }

    /// A wrapping column (a list, an explanation) gives way first and wraps at spaces, whole, past its
    /// `maxWidths`; headers wrap too, so "lead before" holds its column only to "before".
    @Test func wrappingColumnsAndHeadersWrapInsteadOfBeingCut() {
        var table = TextTable(headers: ["school", "lead before", "why"], maxWidths: [nil, nil, 24])
        table.wrapping = [2]
        table.add(["104420", "A02", "the adviser left the programme"])
        table.add(["104425", "A07", "rebalanced"])
        // Not fitted: the cell is cut at its maximum width, as in a file.
        #expect(table.render(width: nil).contains("104420  A02          the adviser left the pr…\n"))
        // Natural widths 6, 11, 24 (the why column at its maximum). At 30: why gives way to 20 (no lower:
        // the others first), then lead before to "before" (6), then why again: 6 + 6 + 14 + 4 = 30.
        #expect(table.render(width: 30) == """
            school  lead    why
                    before
            ------  ------  --------------
            104420  A02     the adviser
                            left the
                            programme
            104425  A07     rebalanced

            """)
        #expect(TextTable.wrap("A01 is at its limit", to: 8) == ["A01 is", "at its", "limit"])
        #expect(TextTable.wrap("abcdefghij", to: 4) == ["abcd", "efgh", "ij"])
    }

    /// Figures no programme has (from a damaged plan, or a share of zero capacity) print instead of trapping.
    @Test func absurdFiguresPrintRatherThanCrash() {
        #expect(Figures.days(1e20) == "1e+20")
        #expect(Figures.grouped(-1e20) == "-1e+20")
        #expect(Figures.percent(.infinity) == "inf%")
        #expect(Figures.days(.nan) == "?")
    }
}

@Suite struct PlanFileTests {
    @Test func jsonRoundTripsAndIsStable() throws {
        let plan = samplePlan()
        let data = try plan.jsonData()
        let back = try Plan.decode(from: data)
        #expect(back == plan)
        #expect(try back.jsonData() == data)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.hasPrefix("{\n  \"advisers\" : ["))
        #expect(text.contains("\"format\" : \"adviser-planner plan 1\""))
        #expect(text.contains("\"role\" : \"lead\""))
        #expect(text.contains("\"lead_days\" : 2"))
        #expect(text.contains("\"reason\" : \"capacity_exhausted\""))
        #expect(text.hasSuffix("}\n"))
    }

    @Test func floatingPointNoiseDoesNotReachTheFile() throws {
        var plan = samplePlan()
        plan.objective = 0.1 + 0.2
        #expect(String(decoding: try plan.jsonData(), as: UTF8.self).contains("\"objective\" : 0.3,"))
    }

    @Test func otherJSONIsNotAPlan() {
        #expect(throws: DecodingError.self) { try Plan.decode(from: Data("{\"format\": \"something else\"}".utf8)) }
        #expect(throws: DecodingError.self) { try Plan.decode(from: Data("[1, 2]".utf8)) }
    }
}
