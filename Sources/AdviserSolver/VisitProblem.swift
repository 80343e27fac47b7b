import AdviserModel

/// One adviser's dating problem, shared by the constructive pass and the integer program: the days the
/// adviser can work, each pairing's visits with the half days its school still has free, and the rules
/// that bind them (days per week, the gap between visits of a pairing, lunch-time travel).
struct VisitProblem {
    /// A day the adviser can work on (available, no kept visit).
    struct Day {
        var number: Int
        /// Index into `weekRoom`.
        var week: Int
        /// Half-term block, for the spread reward.
        var block: Int?
        var preferred: Bool
    }

    /// A day open to both adviser and school, with the halves no other adviser has taken at the school.
    struct Option {
        /// Index into `days`.
        var day: Int
        var amFree: Bool
        var pmFree: Bool
    }

    struct Pairing {
        var assignment: Plan.Assignment
        var needs: [VisitNeed]
        var full: Int
        var half: Int
        /// In date order.
        var options: [Option]
        var school: String { assignment.school }
        var count: Int { full + half }
        /// Whether an option can take some visit of this pairing.
        func usable(_ o: Option) -> Bool { (full > 0 && o.amFree && o.pmFree) || (half > 0 && (o.amFree || o.pmFree)) }
    }

    enum Part: Equatable { case full, morning, afternoon }

    /// Where one visit went: a day index and the part of it.
    struct Placement: Equatable {
        var day: Int
        var part: Part
    }

    static let unplacedPenalty = 1000.0
    static let spreadReward = 10.0
    static let preferredDayReward = 1.0

    let adviser: String
    let days: [Day]
    let pairings: [Pairing]
    /// Visit days the adviser may still have in each week: the weekly limit less kept visits.
    let weekRoom: [Double]
    /// `farApart[i][j]`: pairings i and j cannot share a day as a morning and an afternoon visit.
    let farApart: [[Bool]]
    /// Calendar days between two visits of one pairing; at least 1, so a pairing has one visit a day.
    let gap: Int
    /// Whether spreading over half-term blocks is rewarded at all (more than one block).
    let rewardsSpread: Bool

    /// - Parameters:
    ///   - taken: school -> half-day slots other advisers (or kept visits) already hold.
    ///   - busy: the adviser's kept visits: their days are not offered and count in the weekly limit.
    init(adviser: String, assignments: [Plan.Assignment], scenario: Scenario, calendar: ProgrammeCalendar,
         schools: [String: School], taken: [String: Set<VisitScheduler.Slot>], busy: [Plan.Visit]) {
        let settings = scenario.visits
        self.adviser = adviser
        gap = max(1, settings.minGapDays)
        rewardsSpread = calendar.blockCount > 1

        // Weeks are keyed by their Monday, the same partition as ISO week labels.
        func monday(_ n: Int) -> Int { n - (CivilDate(dayNumber: n).weekday - 1) }
        var busyDays = Set<Int>()
        var busyWeek: [Int: Double] = [:]
        for visit in busy {
            let n = visit.date.dayNumber
            busyDays.insert(n)
            busyWeek[monday(n), default: 0] += VisitScheduler.slots(of: visit, settings: settings).count == 2 ? 1 : 0.5
        }
        let weekly = Double(calendar.maxDaysPerWeek(adviser: adviser))
        var days: [Day] = []
        var weekIndex: [Int: Int] = [:]
        var weekRoom: [Double] = []
        for d in calendar.schoolDays where calendar.isAvailable(adviser: adviser, on: d) {
            let n = d.dayNumber
            guard !busyDays.contains(n) else { continue }
            let m = monday(n)
            let week: Int
            if let w = weekIndex[m] { week = w } else {
                week = weekRoom.count
                weekIndex[m] = week
                weekRoom.append(max(0, weekly - (busyWeek[m] ?? 0)))
            }
            days.append(Day(number: n, week: week, block: calendar.block(of: d), preferred: calendar.prefers(adviser: adviser, weekday: d.weekday)))
        }
        self.days = days
        self.weekRoom = weekRoom

        var pairings: [Pairing] = []
        for assignment in assignments {
            let needs = visits(for: assignment, halfDays: settings.halfDays)
            let full = needs.filter { $0.length == .fullDay }.count
            let held = taken[assignment.school] ?? []
            var options: [Option] = []
            for (i, day) in days.enumerated() where calendar.isOpen(school: assignment.school, on: CivilDate(dayNumber: day.number)) {
                options.append(Option(day: i, amFree: !held.contains(.init(day: day.number, afternoon: false)),
                                      pmFree: !held.contains(.init(day: day.number, afternoon: true))))
            }
            pairings.append(Pairing(assignment: assignment, needs: needs, full: full, half: needs.count - full, options: options))
        }
        self.pairings = pairings

        // Settings are validated on load, so the times parse.
        let lunch = Double((minutesSinceMidnight(settings.afternoonStart) ?? 0) - (minutesSinceMidnight(settings.morningEnd) ?? 0))
        farApart = pairings.map { p in
            pairings.map { q in
                guard let a = schools[p.school], let b = schools[q.school] else { return false }
                return scenario.travel.minutes(from: a.location, to: b.location) > lunch
            }
        }
    }

    /// The objective both methods maximise: spread and preferred-day rewards less a large penalty per
    /// visit left without a date. `dates[p]` holds pairing p's placements.
    func score(_ dates: [[Placement]]) -> Double {
        var total = 0.0
        for (p, pairing) in pairings.enumerated() {
            let placed = dates[p]
            let fullPlaced = placed.filter { $0.part == .full }.count
            total -= VisitProblem.unplacedPenalty * Double(pairing.full - fullPlaced)
            total -= VisitProblem.unplacedPenalty / 2 * Double(pairing.half - (placed.count - fullPlaced))
            for x in placed where days[x.day].preferred {
                total += VisitProblem.preferredDayReward * (x.part == .full ? 1 : 0.5)
            }
            if rewardsSpread && pairing.count > 1 {
                total += VisitProblem.spreadReward * Double(Set(placed.compactMap { days[$0.day].block }).count)
            }
        }
        return total
    }

    /// No schedule scores more. Each pairing places at most the visits its open days hold at the gap
    /// (earliest first), in as many blocks as it has visits and open blocks; the adviser places at most a
    /// visit day per open day within each week's limit, and fills at most every preferred day the weekly
    /// limits allow. Reaching it proves a schedule best.
    var upperBound: Double {
        var spread = 0
        var visitDays = 0.0
        var pairingPenalty = 0.0
        var preferredOpen = Set<Int>()
        var openDays = Set<Int>()
        for pairing in pairings {
            let usable = pairing.options.filter(pairing.usable)
            let fit = min(pairing.count, VisitProblem.earliestFirst(usable.map { days[$0.day].number }, gap: gap).count)
            if rewardsSpread && pairing.count > 1 {
                spread += min(fit, Set(usable.compactMap { days[$0.day].block }).count)
            }
            // Half days are the cheapest to leave out.
            let left = pairing.count - fit
            pairingPenalty += VisitProblem.unplacedPenalty * (Double(max(0, left - pairing.half)) + 0.5 * Double(min(left, pairing.half)))
            visitDays += Double(pairing.full) + 0.5 * Double(pairing.half)
            for o in usable {
                openDays.insert(o.day)
                if days[o.day].preferred { preferredOpen.insert(o.day) }
            }
        }
        var openByWeek = [Double](repeating: 0, count: weekRoom.count)
        var preferredByWeek = openByWeek
        for d in openDays { openByWeek[days[d].week] += 1 }
        for d in preferredOpen { preferredByWeek[days[d].week] += 1 }
        let room = zip(openByWeek, weekRoom).reduce(0) { $0 + min($1.0, $1.1) }
        let preferred = zip(preferredByWeek, weekRoom).reduce(0) { $0 + min($1.0, $1.1) }
        let penalty = max(pairingPenalty, VisitProblem.unplacedPenalty * max(0, visitDays - room))
        return VisitProblem.spreadReward * Double(spread) + VisitProblem.preferredDayReward * min(visitDays, preferred) - penalty
    }

    /// Positions of the most days, of these sorted day numbers, at least `gap` days apart: taking the
    /// earliest day each time holds the most.
    static func earliestFirst(_ dayNumbers: [Int], gap: Int) -> [Int] {
        var chosen: [Int] = []
        for (i, n) in dayNumbers.enumerated() where chosen.last.map({ n >= dayNumbers[$0] + gap }) ?? true {
            chosen.append(i)
        }
        return chosen
    }
}
