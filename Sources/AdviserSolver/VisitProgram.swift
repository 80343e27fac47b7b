import GLPK

/// One adviser's dating problem as an integer program over a window of days (whole half-term blocks),
/// for when the constructive pass is not proven best. Visits outside the window keep their dates; those
/// inside it, and any left undated, may take any day of the window:
///   full[p,d], am[p,d], pm[p,d] binary: a whole-day, morning or afternoon visit of pairing p on day d
///   count[p]:   sum_d full[p,d] + unplacedFull[p] = whole-day visits of p not dated outside;  likewise half days
///   slot[d,h]:  sum_p full[p,d] + half[p,d,h] <= 1                      one place per half day
///   travel:     am[p,d] + pm[q,d] <= 1 when schools p and q are too far apart for the lunch break
///   week[w]:    sum full + 0.5 (am + pm) over week w <= days left in the week
///   gap[p,d]:   visits of p in [d, d + gap) <= 1; days too near p's visits outside get no column
///   spread[p,b] <= visits of p in half-term b                            rewarded: visits spread over the year
/// Maximises `VisitProblem.score`, starting from the incumbent's dates.
enum VisitProgram {
    typealias Placement = VisitProblem.Placement

    /// - Parameter window: day indices, covering whole blocks.
    /// - Returns: the incumbent with the window re-dated, or nil when GLPK found no solution.
    static func dates(for problem: VisitProblem, start: [[Placement]], window: Range<Int>, nodeLimit: Int) throws -> [[Placement]]? {
        var builder = ModelBuilder(name: "schedule_\(problem.adviser)", direction: .maximize)
        let days = problem.days
        let pairings = problem.pairings
        let fixed = start.map { $0.filter { !window.contains($0.day) } }
        var room = problem.weekRoom
        for x in fixed.joined() { room[days[x.day].week] -= x.part == .full ? 1 : 0.5 }

        // Columns by pairing and day index.
        var fullColumns = [[Int: Int]](repeating: [:], count: pairings.count)
        var amColumns = fullColumns, pmColumns = fullColumns
        var startValues: [Int: Double] = [:]
        for (p, pairing) in pairings.enumerated() {
            let school = pairing.school
            // Visits of each length not dated outside the window.
            let fixedFull = fixed[p].filter { $0.part == .full }.count
            let full = pairing.full - fixedFull, half = pairing.half - (fixed[p].count - fixedFull)
            for o in pairing.options where window.contains(o.day) {
                let day = days[o.day]
                guard fixed[p].allSatisfy({ abs(days[$0.day].number - day.number) >= problem.gap }) else { continue }
                let bonus = day.preferred ? VisitProblem.preferredDayReward : 0
                if full > 0 && o.amFree && o.pmFree {
                    fullColumns[p][o.day] = builder.column("f_\(school)_\(day.number)", kind: .binary, lower: 0, upper: 1, objective: bonus)
                }
                if half > 0 {
                    if o.amFree { amColumns[p][o.day] = builder.column("am_\(school)_\(day.number)", kind: .binary, lower: 0, upper: 1, objective: bonus / 2) }
                    if o.pmFree { pmColumns[p][o.day] = builder.column("pm_\(school)_\(day.number)", kind: .binary, lower: 0, upper: 1, objective: bonus / 2) }
                }
            }
            let inside = start[p].filter { window.contains($0.day) }
            for x in inside {
                let column = x.part == .full ? fullColumns[p][x.day] : x.part == .morning ? amColumns[p][x.day] : pmColumns[p][x.day]
                if let column { startValues[column] = 1 }
            }
            let insideFull = inside.filter { $0.part == .full }.count
            for (count, placed, columns, penalty, tag) in [
                (full, insideFull, [fullColumns[p]], VisitProblem.unplacedPenalty, "full"),
                (half, inside.count - insideFull, [amColumns[p], pmColumns[p]], VisitProblem.unplacedPenalty / 2, "half"),
            ] where count > 0 {
                let u = builder.column("unplaced_\(tag)_\(school)", kind: .continuous, lower: 0, upper: Double(count), objective: -penalty)
                startValues[u] = Double(count - placed)
                let row = builder.row("count_\(tag)_\(school)", lower: Double(count), upper: Double(count))
                builder.set(row: row, column: u, 1)
                for column in columns.flatMap(\.values).sorted() { builder.set(row: row, column: column, 1) }
            }
        }

        // One place per half day, and lunch-time travel between two half-day schools.
        for d in window {
            for afternoon in [false, true] {
                var entries: [Int] = []
                for p in pairings.indices {
                    if let c = fullColumns[p][d] { entries.append(c) }
                    if let c = (afternoon ? pmColumns : amColumns)[p][d] { entries.append(c) }
                }
                if entries.count > 1 {
                    let row = builder.row("slot_\(days[d].number)_\(afternoon ? "pm" : "am")", upper: 1)
                    for c in entries { builder.set(row: row, column: c, 1) }
                }
            }
            for i in pairings.indices {
                guard let am = amColumns[i][d] else { continue }
                for j in pairings.indices where i != j && problem.farApart[i][j] {
                    guard let pm = pmColumns[j][d] else { continue }
                    let row = builder.row("lunch_\(days[d].number)_\(i)_\(j)", upper: 1)
                    builder.set(row: row, column: am, 1)
                    builder.set(row: row, column: pm, 1)
                }
            }
        }

        // Days per week.
        var weeks = [[(Int, Double)]](repeating: [], count: room.count)
        for p in pairings.indices {
            for (d, c) in fullColumns[p].sorted(by: { $0.key < $1.key }) { weeks[days[d].week].append((c, 1)) }
            for (d, c) in amColumns[p].sorted(by: { $0.key < $1.key }) { weeks[days[d].week].append((c, 0.5)) }
            for (d, c) in pmColumns[p].sorted(by: { $0.key < $1.key }) { weeks[days[d].week].append((c, 0.5)) }
        }
        for (w, entries) in weeks.enumerated() where entries.reduce(0, { $0 + $1.1 }) > room[w] {
            let row = builder.row("week_\(w)", upper: max(0, room[w]))
            for (c, v) in entries { builder.set(row: row, column: c, v) }
        }

        // Minimum gap between visits of one pairing, and spread over half-terms.
        for (p, pairing) in pairings.enumerated() {
            let school = pairing.school
            // (day index, its columns), in date order.
            let columnsByDay = pairing.options.map { o in
                (o.day, [fullColumns[p][o.day], amColumns[p][o.day], pmColumns[p][o.day]].compactMap { $0 })
            }.filter { !$0.1.isEmpty }
            if problem.gap > 1 {
                var previousLastDay = Int.min
                for (k, start) in columnsByDay.enumerated() {
                    let first = days[start.0].number
                    var window: [Int] = []
                    var lastDay = first
                    for next in columnsByDay[k...] {
                        guard days[next.0].number < first + problem.gap else { break }
                        window += next.1
                        lastDay = days[next.0].number
                    }
                    // A window ending on the same day as the one before is inside it: its row adds nothing.
                    defer { previousLastDay = lastDay }
                    if lastDay == previousLastDay { continue }
                    if window.count > 1 {
                        let row = builder.row("gap_\(school)_\(first)", upper: 1)
                        for c in window { builder.set(row: row, column: c, 1) }
                    }
                }
            }
            guard pairing.count > 1, problem.rewardsSpread else { continue }
            let visitedOutside = Set(fixed[p].compactMap { days[$0.day].block })
            let visitedInside = Set(start[p].filter { window.contains($0.day) }.compactMap { days[$0.day].block })
            var byBlock: [Int: [Int]] = [:]
            for (d, columns) in columnsByDay {
                if let b = days[d].block, !visitedOutside.contains(b) { byBlock[b, default: []] += columns }
            }
            for b in byBlock.keys.sorted() {
                let s = builder.column("spread_\(school)_\(b)", kind: .binary, lower: 0, upper: 1, objective: VisitProblem.spreadReward)
                if visitedInside.contains(b) { startValues[s] = 1 }
                let row = builder.row("spread_\(school)_\(b)", upper: 0)
                builder.set(row: row, column: s, 1)
                for c in byBlock[b]! { builder.set(row: row, column: c, -1) }
            }
        }

        let model = builder.model
        var options = SolveOptions()
        options.nodeLimit = nodeLimit
        // Measured on overloaded generated advisers (430 schools, 2 days a week, 21-day gap): clique cuts
        // alone found as good dates as all four kinds in 40% of the time, and no cuts lost a visit. The
        // feasibility pump costs more than it finds on these near-integral programs.
        options.cuts = .cliquesOnly
        options.feasibilityPump = false
        var initial = [Double](repeating: 0, count: model.columns.count)
        for (c, v) in startValues { initial[c] = v }
        options.startingSolution = initial
        let solution = try GLPKSolver.solve(model, options: options)
        guard solution.status == .optimal || solution.status == .feasible else { return nil }
        let values = solution.columnValues
        return pairings.indices.map { p in
            (fixed[p]
                + fullColumns[p].filter { values[$0.value] > 0.5 }.map { Placement(day: $0.key, part: .full) }
                + amColumns[p].filter { values[$0.value] > 0.5 }.map { Placement(day: $0.key, part: .morning) }
                + pmColumns[p].filter { values[$0.value] > 0.5 }.map { Placement(day: $0.key, part: .afternoon) })
                .sorted { $0.day < $1.day }
        }
    }
}
