import AdviserModel

/// A broken hard rule found by `PlanChecker`.
public struct Violation: Sendable, Equatable, CustomStringConvertible {
    public var rule: String
    public var message: String
    public init(rule: String, message: String) { self.rule = rule; self.message = message }
    public var description: String { "[\(rule)] \(message)" }
}

/// Re-checks every hard rule of a plan against its scenario. Deliberately written apart from the
/// formulation (it re-derives eligibility, capacity and cost from the scenario's data), so that a bug in
/// the model cannot hide itself.
public enum PlanChecker {
    public static func check(_ plan: Plan, against scenario: Scenario) -> [Violation] {
        var out: [Violation] = []
        func violation(_ rule: String, _ message: String) { out.append(Violation(rule: rule, message: message)) }
        let tolerance = 1e-6

        if plan.scenario.fingerprint != scenario.fingerprint {
            violation("inputs", "the plan was made from different input files (plan \(plan.scenario.fingerprint.prefix(19))…, scenario \(scenario.fingerprint.prefix(19))…); solve again")
        }

        var schoolsByID: [String: School] = [:]
        for school in scenario.schools { schoolsByID[school.id] = school }
        var advisersByID: [String: Adviser] = [:]
        for adviser in scenario.advisers { advisersByID[adviser.id] = adviser }
        var needDays: [String: [String: Double]] = [:]
        for need in scenario.needs { needDays[need.school, default: [:]][need.area] = need.days }

        var coveredDays: [String: [String: Double]] = [:]
        var leads: [String: [String]] = [:]
        var usedDays: [String: Double] = [:]
        var schoolCount: [String: Int] = [:]
        var totalCost = 0.0
        var seenPairs: Set<String> = []

        for a in plan.assignments {
            let label = "\(a.adviser) at \(a.school)"
            guard let adviser = advisersByID[a.adviser] else { violation("unknown-id", "adviser \(a.adviser) is not in the scenario"); continue }
            guard let school = schoolsByID[a.school] else { violation("unknown-id", "school \(a.school) is not in the scenario"); continue }
            if !seenPairs.insert(a.adviser + "|" + a.school).inserted {
                violation("duplicate", "\(label) appears twice")
            }
            if adviser.homeSchool == school.id { violation("own-school", "\(label): an adviser may not advise their own school") }
            if !adviser.phases.contains(school.phase) {
                violation("phase", "\(label): \(adviser.id) works in \(adviser.phases.map(\.rawValue).joined(separator: "/")), the school is \(school.phase.rawValue)")
            }
            let level = scenario.rules.independence
            if level != .none, let trust = school.trust, let employer = adviser.employerTrust, trust == employer {
                violation("independence", "\(label): \(adviser.id) is employed by the school's trust \(trust)")
            }
            if level == .localAuthority, let employer = adviser.employerLocalAuthority, employer == school.localAuthority {
                violation("independence", "\(label): \(adviser.id) is employed by the school's local authority \(employer)")
            }
            let minutes = scenario.measuredTravelMinutes[PairKey(adviser: adviser.id, school: school.id)]
                ?? scenario.travel.minutes(from: adviser.home, to: school.location)
            if minutes > scenario.rules.maxTravelMinutes + tolerance {
                violation("travel", "\(label): \(Int(minutes.rounded())) minutes away, limit \(formatNumber(scenario.rules.maxTravelMinutes))")
            }
            var areaDays = 0.0
            for area in a.days.keys.sorted() {
                let days = a.days[area]!
                areaDays += days
                guard needDays[school.id]?[area] != nil else {
                    violation("need", "\(label): \(formatNumber(days)) days of \(area), but the school has no \(area) need")
                    continue
                }
                if !(days > 0) || (days * 2).rounded() != days * 2 {
                    violation("need", "\(label): \(formatNumber(days)) days of \(area) is not a positive number of whole or half days")
                }
                if adviser.level(in: area) == 0 {
                    violation("expertise", "\(label): covers \(area) without expertise in it")
                }
                coveredDays[school.id, default: [:]][area, default: 0] += days
            }
            switch a.role {
            case .lead:
                leads[school.id, default: []].append(adviser.id)
                if abs(a.leadDays - scenario.rules.leadDays) > tolerance {
                    violation("lead", "\(label): lead days are \(formatNumber(a.leadDays)), the rules say \(formatNumber(scenario.rules.leadDays))")
                }
            case .specialist:
                if a.leadDays != 0 { violation("lead", "\(label): a specialist has lead days") }
                if a.days.isEmpty { violation("empty", "\(label): a specialist with no need-days") }
            }
            let visitDays = areaDays + (a.role == .lead ? scenario.rules.leadDays : 0)
            // The round trip takes a share of each visit day from capacity only where the scenario says so.
            let travelDays = scenario.rules.travelUsesCapacity ? visitDays * 2 * minutes / (scenario.rules.workingDayHours * 60) : 0
            usedDays[adviser.id, default: 0] += visitDays + travelDays
            schoolCount[adviser.id, default: 0] += 1
            totalCost += visitDays * adviser.dayRate
        }

        if let k = scenario.rules.candidateAdvisers {
            // Re-derived here: the school's k nearest advisers allowed by every other rule, plus the pairings
            // of roster.csv and required ones, which are always candidates.
            let always = Set(scenario.roster.map { $0.adviser + "|" + $0.school } + scenario.requiredPairs.map { $0.adviser + "|" + $0.school })
            let forbidden = Set(scenario.forbiddenPairs.map { $0.adviser + "|" + $0.school })
            var areasOf: [String: [String]] = [:]
            for need in scenario.needs { areasOf[need.school, default: []].append(need.area) }
            var nearestOf: [String: Set<String>] = [:]
            // Every school measures every adviser (22,000 x 3,000 pairs nationally): the travel test, plain
            // arithmetic, comes before those that compare strings, and no Adviser is copied in the loop.
            let advisers = scenario.advisers
            let expertAreas = advisers.map { Set($0.expertise.filter { $0.level > 0 }.map(\.area)) }
            let independence = scenario.rules.independence
            let measured = scenario.measuredTravelMinutes
            let homes = advisers.map(\.home.haversineTerms)
            func nearest(_ school: School) -> Set<String> {
                let areas = areasOf[school.id] ?? []
                let location = school.location.haversineTerms
                var allowed: [(minutes: Double, index: Int)] = []
                for i in advisers.indices {
                    guard advisers[i].phases.contains(school.phase) else { continue }
                    let minutes = (measured.isEmpty ? nil : measured[PairKey(adviser: advisers[i].id, school: school.id)])
                        ?? scenario.travel.minutes(from: homes[i], to: location)
                    guard minutes <= scenario.rules.maxTravelMinutes + 1e-9, advisers[i].homeSchool != school.id,
                          forbidden.isEmpty || !forbidden.contains(advisers[i].id + "|" + school.id),
                          areas.isEmpty || areas.contains(where: expertAreas[i].contains) else { continue }
                    if independence != .none, let trust = school.trust, trust == advisers[i].employerTrust { continue }
                    if independence == .localAuthority, advisers[i].employerLocalAuthority == school.localAuthority { continue }
                    allowed.append((minutes, i))
                }
                return Set(allowed.sorted { ($0.minutes, $0.index) < ($1.minutes, $1.index) }.prefix(k).map { advisers[$0.index].id })
            }
            for a in plan.assignments where !always.contains(a.adviser + "|" + a.school) {
                guard let school = schoolsByID[a.school], advisersByID[a.adviser] != nil else { continue }
                if nearestOf[school.id] == nil { nearestOf[school.id] = nearest(school) }
                if !nearestOf[school.id]!.contains(a.adviser) {
                    violation("candidates", "\(a.adviser) at \(a.school): not among the school's \(k) nearest eligible advisers (rules.candidate_advisers)")
                }
            }
        }

        for school in scenario.schools {
            let count = leads[school.id]?.count ?? 0
            if count > 1 { violation("lead", "school \(school.id) has \(count) leads: \(leads[school.id]!.joined(separator: ", "))") }
            if scenario.rules.requireLead && count == 0 { violation("lead", "school \(school.id) (\(school.name)) has no lead adviser") }
        }
        for adviser in scenario.advisers {
            let used = usedDays[adviser.id] ?? 0
            if used > adviser.capacityDays + tolerance {
                violation("capacity", "\(adviser.id) uses \(formatNumber(used.rounded(toPlaces: 2))) days\(scenario.rules.travelUsesCapacity ? " with travel" : ""), capacity \(formatNumber(adviser.capacityDays))")
            }
            let count = schoolCount[adviser.id] ?? 0
            if count > adviser.maxSchools {
                violation("max-schools", "\(adviser.id) works with \(count) schools, limit \(adviser.maxSchools)")
            }
        }
        if let budget = scenario.programme.budget, totalCost > budget + tolerance {
            violation("budget", "the plan costs £\(formatNumber(totalCost.rounded(toPlaces: 2))), budget £\(formatNumber(budget))")
        }

        // Every need-day is either covered or reported unmet: never over-supplied, never lost.
        var unmetDays: [String: Double] = [:]
        var unmetListed: [String: Int] = [:]
        for u in plan.unmet {
            unmetDays[u.school + "|" + u.area, default: 0] += u.days
            unmetListed[u.school + "|" + u.area, default: 0] += 1
        }
        for need in scenario.needs {
            let key = need.school + "|" + need.area
            let covered = coveredDays[need.school]?[need.area] ?? 0
            let missing = unmetDays[key] ?? 0
            if covered > need.days + tolerance {
                violation("need", "school \(need.school) \(need.area): \(formatNumber(covered)) days supplied for a need of \(formatNumber(need.days))")
            } else if abs(covered + missing - need.days) > tolerance {
                violation("unmet", "school \(need.school) \(need.area): \(formatNumber(covered)) days covered and \(formatNumber(missing)) reported unmet, but the need is \(formatNumber(need.days))")
            }
            if (unmetListed[key] ?? 0) > 1 { violation("unmet", "school \(need.school) \(need.area) is listed as unmet \(unmetListed[key]!) times") }
        }
        for u in plan.unmet where needDays[u.school]?[u.area] == nil {
            violation("unmet", "unmet need \(u.school) \(u.area) is not a need of the scenario")
        }
        return out
    }
}
