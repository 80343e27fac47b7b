import AdviserModel

/// Turns solver column values into a Plan, and explains each unmet need in a programme manager's words.
enum PlanExtractor {
    /// Experts named one by one when nobody eligible can take a need; above this, they are counted by reason.
    static let expertsNamed = 12

    static func plan(from values: [Double], formulation f: AllocationFormulation, status: Plan.Status,
                     objective: Double?, bound: Double?, gap: Double?) -> Plan {
        let s = f.scenario
        func isOn(_ column: Int) -> Bool { values[column] > 0.5 }

        var coveredDays = [Double](repeating: 0, count: s.needs.count)
        var daysByPair: [Int: [String: Double]] = [:]
        for candidate in f.candidates where isOn(candidate.column) {
            let days = values[candidate.column].rounded() * f.dayUnit
            coveredDays[candidate.need] += days
            daysByPair[candidate.pair, default: [:]][s.needs[candidate.need].area, default: 0] += days
        }
        var assignments: [Plan.Assignment] = []
        for (p, pair) in f.pairs.enumerated() where isOn(pair.assigned) {
            let adviser = s.advisers[pair.adviser], school = s.schools[pair.school]
            let isLead = pair.lead.map(isOn) ?? false
            let days = daysByPair[p] ?? [:]
            let leadDays = isLead ? s.rules.leadDays : 0
            let visitDays = days.values.reduce(0, +) + leadDays
            assignments.append(Plan.Assignment(
                adviser: adviser.id, school: school.id, role: isLead ? .lead : .specialist, days: days, leadDays: leadDays,
                travelMinutes: pair.travelMinutes, capacityDays: visitDays * s.capacityPerVisitDay(travelMinutes: pair.travelMinutes),
                cost: visitDays * adviser.dayRate))
        }

        // What is left of each adviser after the plan, to explain unmet needs.
        var usedCapacity = [Double](repeating: 0, count: s.advisers.count)
        var schoolCount = [Int](repeating: 0, count: s.advisers.count)
        let adviserIndex = Dictionary(uniqueKeysWithValues: s.advisers.enumerated().map { ($1.id, $0) })
        for a in assignments {
            let i = adviserIndex[a.adviser]!
            usedCapacity[i] += a.capacityDays
            schoolCount[i] += 1
        }
        let cost = assignments.reduce(0) { $0 + $1.cost }
        let assignedPairs = Set(assignments.map { PairKey(adviser: $0.adviser, school: $0.school) })

        // Each need's candidates, gathered once: filtering all candidates per unmet need grew with the
        // square of the programme (a national one has millions of candidates and thousands of unmet needs).
        var optionsOfNeed = [[AllocationFormulation.NeedCandidate]](repeating: [], count: s.needs.count)
        for candidate in f.candidates where coveredDays[candidate.need] < s.needs[candidate.need].days - 1e-9 {
            optionsOfNeed[candidate.need].append(candidate)
        }
        var unmet: [Plan.UnmetNeed] = []
        // By id through an index: `Scenario.school(_:)` scans the list, once per unmet need a national
        // programme's thousands (a second of a Ctrl-C's wait).
        let schoolIndex = Dictionary(s.schools.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        for (n, need) in s.needs.enumerated() where coveredDays[n] < need.days - 1e-9 {
            let missing = need.days - coveredDays[n]
            let options = optionsOfNeed[n]
            let school = s.schools[schoolIndex[need.school]!]
            var reason: Plan.UnmetReason
            var detail: String
            if options.isEmpty {
                reason = .noEligibleAdviser
                let experts = s.advisers.filter { $0.level(in: need.area) > 0 }
                if experts.isEmpty {
                    detail = "no adviser has \(need.area) expertise"
                } else if experts.count <= PlanExtractor.expertsNamed {
                    detail = experts.map { "\($0.id): " + f.eligibility.reasons($0, school).map(\.explanation).joined(separator: ", ") }
                        .joined(separator: "; ")
                } else {
                    // Too many to name one by one: how many experts each rule keeps away.
                    var counts: [Ineligibility: Int] = [:]
                    for expert in experts { for why in f.eligibility.reasons(expert, school) { counts[why, default: 0] += 1 } }
                    detail = "\(experts.count) advisers have \(need.area) expertise; "
                        + counts.keys.sorted().map { "\(counts[$0]!): \($0.explanation)" }.joined(separator: "; ")
                }
            } else {
                let cheapest = options.map { s.advisers[$0.adviser].dayRate * f.dayUnit }.min()!
                if let budget = s.programme.budget, budget - cost < cheapest - 1e-6 {
                    reason = .budget
                    detail = "£\(formatNumber((budget - cost).rounded())) of the budget is left; one more \(f.dayUnit == 1 ? "day" : "half day") from the cheapest eligible adviser costs £\(formatNumber(cheapest.rounded()))"
                } else {
                    reason = .capacityExhausted
                    detail = options.prefix(PlanExtractor.expertsNamed).map { option -> String in
                        let adviser = s.advisers[option.adviser]
                        let left = max(0, adviser.capacityDays - usedCapacity[option.adviser])
                        let required = option.resourcePerUnit
                        let newSchool = !assignedPairs.contains(PairKey(adviser: adviser.id, school: school.id))
                        if newSchool && schoolCount[option.adviser] >= adviser.maxSchools {
                            return "\(adviser.id) is at its limit of \(adviser.maxSchools) schools"
                        }
                        if left + 1e-6 < required {
                            return "\(adviser.id) has \(formatNumber(left.rounded(toPlaces: 1))) days left"
                        }
                        return "\(adviser.id)'s days are worth more on higher-priority needs"
                    }.joined(separator: "; ")
                        + (options.count > PlanExtractor.expertsNamed ? "; and \(options.count - PlanExtractor.expertsNamed) more eligible advisers" : "")
                }
            }
            unmet.append(Plan.UnmetNeed(school: need.school, area: need.area, days: missing, priority: need.priority,
                                        reason: reason, detail: detail))
        }
        var plan = Plan(scenario: .init(name: s.name, fingerprint: s.fingerprint), status: status, objective: objective, bound: bound,
                        gap: gap, model: f.size, assignments: assignments, unmet: unmet)
        plan.describe(s)
        return plan
    }
}
