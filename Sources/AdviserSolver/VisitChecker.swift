import AdviserModel

extension PlanChecker {
    /// Re-checks every date rule of a plan's visits, written apart from the scheduler: it reads the
    /// visits as dated and timed and compares them with the calendar, the availability and the rules.
    public static func checkVisits(_ plan: Plan, against scenario: Scenario) -> [Violation] {
        var out: [Violation] = []
        func violation(_ rule: String, _ message: String) { out.append(Violation(rule: rule, message: message)) }
        let calendar = ProgrammeCalendar(scenario: scenario)
        let v = scenario.visits
        let clock = minutesSinceMidnight
        var assigned: [String: Plan.Assignment] = [:]
        for a in plan.assignments { assigned[a.adviser + "|" + a.school] = a }

        struct Timed { var visit: Plan.Visit; var from: Int; var to: Int; var length: Double }
        var timed: [Timed] = []
        for visit in plan.visits {
            var label: String { "\(visit.adviser) at \(visit.school) on \(visit.date)" }  // only a violation needs it
            guard assigned[visit.adviser + "|" + visit.school] != nil else {
                violation("visit", "\(label): this adviser is not assigned to this school")
                continue
            }
            guard let from = clock(visit.start), let to = clock(visit.end), to > from else {
                violation("visit-time", "\(label): \(visit.start)-\(visit.end) is not a valid time span")
                continue
            }
            let length: Double
            if visit.start == v.dayStart && visit.end == v.dayEnd { length = 1 }
            else if v.halfDays && ((visit.start == v.dayStart && visit.end == v.morningEnd) || (visit.start == v.afternoonStart && visit.end == v.dayEnd)) { length = 0.5 }
            else {
                violation("visit-time", "\(label): \(visit.start)-\(visit.end) is neither the visit day (\(v.dayStart)-\(v.dayEnd)) nor an allowed half day")
                continue
            }
            if visit.date < scenario.programme.start || visit.date > scenario.programme.end {
                violation("date", "\(label): outside the programme (\(scenario.programme.start) to \(scenario.programme.end))")
            }
            if let why = calendar.whyClosed(school: visit.school, on: visit.date) {
                violation("date", "\(label): the school is not open (\(why))")
            }
            if let why = calendar.whyUnavailable(adviser: visit.adviser, on: visit.date) {
                violation("date", "\(label): the adviser is not available (\(why))")
            }
            timed.append(Timed(visit: visit, from: from, to: to, length: length))
        }

        // One place at a time for an adviser; one adviser at a time for a school.
        let lunch = (clock(v.afternoonStart) ?? 0) - (clock(v.morningEnd) ?? 0)
        let schoolsByID = Dictionary(scenario.schools.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let byDay = Dictionary(grouping: timed, by: { $0.visit.date })
        for date in byDay.keys.sorted() {
            let day = byDay[date]!
            // Only two visits of one adviser, or two at one school, can clash: those pairs alone, in the order a
            // loop over every pair of the day would meet them (a national day has about a thousand visits, and
            // every pair of them took minutes).
            var pairs: [(Int, Int)] = []
            for groups in [Dictionary(grouping: day.indices, by: { day[$0].visit.adviser }), Dictionary(grouping: day.indices, by: { day[$0].visit.school })] {
                for members in groups.values where members.count > 1 {
                    for x in members.indices { for y in members.indices where y > x { pairs.append((members[x], members[y])) } }
                }
            }
            pairs.sort { $0 < $1 }
            for (k, (i, j)) in pairs.enumerated() where k == 0 || pairs[k - 1] != (i, j) {
                let a = day[i], b = day[j]
                let overlap = a.from < b.to && b.from < a.to
                if a.visit.adviser == b.visit.adviser {
                    if overlap {
                        violation("one-place", "\(a.visit.adviser) has two visits at once on \(date) (\(a.visit.school), \(b.visit.school))")
                    } else if a.visit.school != b.visit.school, let sa = schoolsByID[a.visit.school], let sb = schoolsByID[b.visit.school],
                              scenario.travel.minutes(from: sa.location, to: sb.location) > Double(lunch) + 1e-9 {
                        violation("one-place", "\(a.visit.adviser) cannot travel from \(a.visit.school) to \(b.visit.school) over lunch on \(date)")
                    }
                }
                if a.visit.school == b.visit.school && a.visit.adviser != b.visit.adviser && overlap {
                    violation("school-slot", "\(a.visit.school) has two advisers at once on \(date) (\(a.visit.adviser), \(b.visit.adviser))")
                }
            }
        }

        // Days per week, and the gap between visits of one pairing.
        var weekDays: [String: Double] = [:]
        for t in timed { weekDays[t.visit.adviser + "|" + t.visit.date.isoWeekLabel, default: 0] += t.length }
        for key in weekDays.keys.sorted() {
            let parts = key.split(separator: "|").map(String.init)
            let limit = Double(calendar.maxDaysPerWeek(adviser: parts[0]))
            if weekDays[key]! > limit + 1e-9 {
                violation("week", "\(parts[0]) has \(formatNumber(weekDays[key]!)) visit days in \(parts[1]), limit \(formatNumber(limit))")
            }
        }
        let byPair = Dictionary(grouping: timed, by: { $0.visit.adviser + "|" + $0.visit.school })
        for key in byPair.keys.sorted() {
            let dates = byPair[key]!.map(\.visit.date).sorted()
            for (a, b) in zip(dates, dates.dropFirst()) where b.dayNumber - a.dayNumber < v.minGapDays {
                violation("gap", "\(key.replacingOccurrences(of: "|", with: " at ")): visits on \(a) and \(b) are less than \(v.minGapDays) days apart")
            }
        }

        // Each pairing's days are all dated or reported unplaced.
        var unplacedCount: [String: Int] = [:]
        for u in plan.unplaced { unplacedCount[u.adviser + "|" + u.school, default: 0] += u.count }
        for a in plan.assignments {
            let key = a.adviser + "|" + a.school
            let days = a.days.values.reduce(0, +) + a.leadDays
            let whole = Int(days.rounded(.down))
            let expected = whole + (days - Double(whole) > 1e-9 ? 1 : 0)
            let placed = byPair[key]?.count ?? 0
            if placed + (unplacedCount[key] ?? 0) != expected {
                violation("visits", "\(a.adviser) at \(a.school): \(formatNumber(days)) days need \(expected) visits; \(placed) dated and \(unplacedCount[key] ?? 0) reported unplaced")
            }
        }
        return out
    }
}
