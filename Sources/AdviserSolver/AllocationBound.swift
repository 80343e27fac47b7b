import AdviserModel
import GLPK
import Foundation

/// An upper bound on the allocation's objective that needs no LP. Two rows per adviser are priced (a
/// Lagrangian multiplier each): their capacity and their school limit; so is the budget, when there is one
/// (a generated 5,000 x 700 whose budget bound had a gap of 79% without its price). The rows that only
/// tighten the LP (load, "used") are dropped. What is left falls apart by school, each solved exactly with
/// its pairings as whole decisions: opening a pairing costs its adviser's school-place price (less any
/// continuity it earns), each need goes to its best open pairing at the priced value or stays unmet, and
/// the school takes one lead, whose pairing is then open. A school has few needs (at most `schoolNeeds`;
/// more, or a bound fixed by a what-if, and it falls back to pricing each need on its own with a pairing's
/// share of a school place as its load over the pair's bigM, the LP's view). A subgradient search over the
/// prices tightens the bound; every price vector gives a valid bound.
///
/// It is what gives a national programme a gap: GLPK's simplex needs hours for the LP relaxation of
/// 700,000 columns, so without it the plan would be returned with no bound at all. With whole pairings its
/// best prices bound at least as tightly as the LP (the school's choice keeps the pairing variables whole).
/// Priced need by need, it could at best reach the LP without its per-pair links, on the generated
/// 1,000 x 150 6.5% above the LP, and ended 10.5% above it after 20,000 passes; decided whole, 0.6% above the
/// plan after 5,000 passes.
struct AllocationBound: Sendable {
    /// Schools with more needs than this are priced need by need: a school's exact choice takes 3^needs steps.
    static let schoolNeeds = 8
    /// Passes without a better bound after which the step halves (fewer when there is time for fewer than
    /// ten times as many). With the deflected direction the search needs room: on the generated 1,000 x 150,
    /// 5,000 passes end 1.0% above the plan with 100, 0.64% with 150 (0.45% in 20,000 with 300).
    static let patience = 150
    private let objectiveConstant: Double
    /// 1 when the model maximises, -1 when it minimises: the bound is computed as a maximum.
    private let modelSign: Double
    /// Per candidate: value per unit, units available, capacity per unit, adviser.
    private let value: [Double], units: [Double], resource: [Double], adviser: [Int]
    /// Per candidate: the share of one school place that a unit takes (resource / the pair's bigM), for
    /// needs priced on their own.
    private let place: [Double]
    /// Each need's units and unmet value per unit (negative).
    private let needUnits: [Double], unmetValue: [Double]
    /// Needs priced on their own, with their candidates, and the lead options of their schools (value,
    /// capacity, place, adviser) when the rules require a lead.
    private let singleNeeds: [(need: Int, candidates: [Int])]
    private let singleLeads: [[(value: Double, load: Double, place: Double, adviser: Int)]]
    /// Schools decided whole: school k's needs are wholeNeeds[wholeNeedStart[k] ..< wholeNeedStart[k + 1]] and
    /// its pairings q in wholePairStart[k] ..< wholePairStart[k + 1] (indexing pairAdviser and the rest);
    /// pairing q's candidates are pairCandidates[pairCandidateStart[q] ..< pairCandidateStart[q + 1]], each
    /// with the position of its need among the school's.
    private let wholeNeedStart: [Int], wholeNeeds: [Int]
    private let wholePairStart: [Int]
    private let pairAdviser: [Int], pairColumn: [Int], pairValue: [Double], pairLeadValue: [Double?], pairLeadLoad: [Double]
    private let pairCandidateStart: [Int], pairCandidates: [Int], pairCandidateNeed: [Int]
    private let capacity: [Double], places: [Double]
    /// The budget in the units its price is counted in (nil without one), and what each candidate's unit, each
    /// pairing's lead (schools decided whole) and each option of `singleLeads` costs in them. Counted in days
    /// at the mean day rate, so that its subgradient is of the size of the capacity rows' and the steps suit both.
    private let budget: Double?
    private let unitCost: [Double], pairLeadCost: [Double], singleLeadCost: [[Double]]
    /// Every other column at the better end of its bounds (pairing bonuses, anything a change added).
    private let restAtBest: Double
    /// Where each part of the bound lies in the model, for `shares(at:)` (with `pairColumn` for the schools
    /// decided whole): a column of each adviser's (-1 when none), each need's unmet column, a lead column of
    /// each school in `singleLeads`, and each other column with its value at the better end.
    private let adviserColumn: [Int], unmetColumn: [Int], singleLeadColumn: [Int]
    private let restColumns: [(column: Int, value: Double)]
    /// False when some column outside the structure above is unbounded in the direction that pays.
    let isBounded: Bool

    init(_ f: AllocationFormulation) {
        let model = f.model
        let scenario = f.scenario
        let sign = model.direction == .maximize ? 1.0 : -1.0
        objectiveConstant = sign * model.objectiveConstant
        modelSign = sign
        var covered = [Bool](repeating: false, count: model.columns.count)
        // What each column costs under the budget, in days at the mean day rate.
        var costOf = [Double](repeating: 0, count: model.columns.count)
        let rates = scenario.advisers.map(\.dayRate)
        let dayCost = max(1e-9, rates.reduce(0, +) / Double(max(1, rates.count)))
        if let row = f.budgetRow, let amount = scenario.programme.budget, rates.contains(where: { $0 > 0 }) {
            for c in model.coefficients where c.row == row { costOf[c.column] += c.value / dayCost }
            budget = amount / dayCost
        } else {
            budget = nil
        }
        unitCost = f.candidates.map { costOf[$0.column] }
        value = f.candidates.map { sign * model.columns[$0.column].objective }
        units = f.candidates.map { model.columns[$0.column].upper ?? 0 }
        resource = f.candidates.map(\.resourcePerUnit)
        adviser = f.candidates.map(\.adviser)
        // The load row's bigM of each pair, as the formulation built it.
        place = f.candidates.map { candidate in
            let m = f.pairs[candidate.pair].loadLimit
            return m > 0 ? candidate.resourcePerUnit / m : 0
        }
        let needUnits = f.unmetColumns.map { model.columns[$0].upper ?? 0 }
        self.needUnits = needUnits
        unmetValue = f.unmetColumns.map { sign * model.columns[$0].objective }
        for u in f.unmetColumns { covered[u] = true }
        let requireLead = scenario.rules.requireLead
        let schoolIndex = Dictionary(scenario.schools.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        var needsOfSchool = [[Int]](repeating: [], count: scenario.schools.count)
        var unplacedNeeds: [Int] = []
        for (n, need) in scenario.needs.enumerated() where n < f.unmetColumns.count {
            if let s = schoolIndex[need.school] { needsOfSchool[s].append(n) } else { unplacedNeeds.append(n) }
        }
        let modelPairs = f.pairs, modelCandidates = f.candidates
        let pairsOfSchool = IndexLists(owners: scenario.schools.count, modelPairs.indices.lazy.map { (modelPairs[$0].school, $0) })
        let candidatesOfNeed = IndexLists(owners: f.unmetColumns.count, modelCandidates.indices.lazy.map { (modelCandidates[$0].need, $0) })
        let candidatesOfPair = IndexLists(owners: modelPairs.count, modelCandidates.indices.lazy.map { (modelCandidates[$0].pair, $0) })
        for candidate in modelCandidates { covered[candidate.column] = true }
        func free(_ column: Int, upTo upper: Double) -> Bool {
            (model.columns[column].lower ?? 0) <= 0 && (model.columns[column].upper ?? .infinity) >= upper
        }
        // A school is decided whole when it has few needs, every candidate can supply its whole need, and
        // no column of it is fixed by a what-if (a kept or barred pairing, a required lead).
        func decidedWhole(_ s: Int) -> Bool {
            guard needsOfSchool[s].count <= AllocationBound.schoolNeeds else { return false }
            for n in needsOfSchool[s] where !free(f.unmetColumns[n], upTo: needUnits[n]) { return false }
            for p in pairsOfSchool[s] {
                let pair = f.pairs[p]
                guard free(pair.assigned, upTo: 1), pair.lead.map({ free($0, upTo: 1) }) ?? true else { return false }
                for c in candidatesOfPair[p] where !free(f.candidates[c].column, upTo: needUnits[f.candidates[c].need]) { return false }
            }
            return true
        }
        var single: [(need: Int, candidates: [Int])] = unplacedNeeds.map { ($0, Array(candidatesOfNeed[$0])) }
        var singleLeads: [[(value: Double, load: Double, place: Double, adviser: Int)]] = []
        var singleLeadCost: [[Double]] = [], pLeadCost: [Double] = []
        var needStart = [0], needs: [Int] = [], pairStart = [0]
        var singleLeadColumn: [Int] = []
        var pAdviser: [Int] = [], pColumn: [Int] = [], pValue: [Double] = [], pLead: [Double?] = [], pLeadLoad: [Double] = []
        var candidateStart = [0], candidates: [Int] = [], candidateNeed: [Int] = []
        for s in scenario.schools.indices {
            if decidedWhole(s) {
                needs += needsOfSchool[s]
                needStart.append(needs.count)
                var position = [Int: Int]()
                for (i, n) in needsOfSchool[s].enumerated() { position[n] = i }
                for p in pairsOfSchool[s] {
                    let pair = f.pairs[p]
                    covered[pair.assigned] = true
                    pAdviser.append(pair.adviser)
                    pColumn.append(pair.assigned)
                    pValue.append(sign * model.columns[pair.assigned].objective)
                    if requireLead, let l = pair.lead {
                        covered[l] = true
                        pLead.append(sign * model.columns[l].objective)
                        pLeadCost.append(costOf[l])
                    } else {
                        pLead.append(nil)
                        pLeadCost.append(0)
                    }
                    pLeadLoad.append(pair.leadLoad)
                    for c in candidatesOfPair[p] {
                        candidates.append(c)
                        candidateNeed.append(position[f.candidates[c].need]!)
                    }
                    candidateStart.append(candidates.count)
                }
                pairStart.append(pAdviser.count)
            } else {
                single += needsOfSchool[s].map { ($0, Array(candidatesOfNeed[$0])) }
                guard requireLead else { continue }
                var leads: [(value: Double, load: Double, place: Double, adviser: Int)] = []
                var leadCosts: [Double] = []
                var leadColumn = -1
                for p in pairsOfSchool[s] {
                    let pair = f.pairs[p]
                    guard let l = pair.lead else { continue }
                    covered[l] = true
                    if leadColumn < 0 { leadColumn = l }
                    leads.append((sign * model.columns[l].objective, pair.leadLoad,
                                  pair.loadLimit > 0 ? pair.leadLoad / pair.loadLimit : 0, pair.adviser))
                    leadCosts.append(costOf[l])
                }
                singleLeads.append(leads)
                singleLeadCost.append(leadCosts)
                singleLeadColumn.append(leadColumn)
            }
        }
        self.singleLeadColumn = singleLeadColumn
        unmetColumn = f.unmetColumns
        var adviserColumn = [Int](repeating: -1, count: scenario.advisers.count)
        for pair in f.pairs where adviserColumn[pair.adviser] < 0 { adviserColumn[pair.adviser] = pair.assigned }
        self.adviserColumn = adviserColumn
        singleNeeds = single
        self.singleLeads = singleLeads
        self.singleLeadCost = singleLeadCost
        pairLeadCost = pLeadCost
        wholeNeedStart = needStart; wholeNeeds = needs; wholePairStart = pairStart
        pairAdviser = pAdviser; pairColumn = pColumn; pairValue = pValue; pairLeadValue = pLead; pairLeadLoad = pLeadLoad
        pairCandidateStart = candidateStart; pairCandidates = candidates; pairCandidateNeed = candidateNeed
        capacity = scenario.advisers.map(\.capacityDays)
        places = scenario.advisers.map { Double($0.maxSchools) }
        var rest = 0.0, bounded = true
        var restColumns: [(column: Int, value: Double)] = []
        for (j, column) in model.columns.enumerated() where !covered[j] {
            let c = sign * column.objective
            let lower = column.kind == .binary ? max(column.lower ?? 0, 0) : column.lower
            let upper = column.kind == .binary ? min(column.upper ?? 1, 1) : column.upper
            var best = 0.0
            if c > 0 { if let upper { best = c * upper } else { bounded = false } }
            if c < 0 { if let lower { best = c * lower } else { bounded = false } }
            rest += best
            if best != 0 { restColumns.append((j, best)) }
        }
        restAtBest = rest
        self.restColumns = restColumns
        isBounded = bounded
    }

    /// The bound of `search` in parts, each with a column of the model it belongs with (`part.column`), and
    /// what belongs with none (the priced rows of an adviser with no pairing) and the objective's constant: the
    /// parts of the columns of any set of independent blocks sum to a bound on those blocks alone, since the
    /// bound prices only rows that stay within a block. An adviser's priced rows go with the adviser's
    /// pairings, a school's choice with its pairings, and a need no pairing of its school can serve (a block
    /// of its own in the model) with its unmet column. In the bound's direction (see `search`).
    func shares(at search: Search) -> (parts: [(column: Int, value: Double)], unplaced: Double, constant: Double) {
        let prices = search.prices
        let advisers = capacity.count
        // What the evaluations use of the priced rows is not needed here.
        let used = UnsafeMutableBufferPointer<Double>.allocate(capacity: prices.count)
        used.initialize(repeating: 0)
        defer { used.deallocate() }
        let scratch = Scratch()
        var parts = restColumns
        var unplaced = 0.0
        for a in 0..<advisers {
            let value = prices[a] * capacity[a] + prices[advisers + a] * places[a]
            if adviserColumn[a] >= 0 { parts.append((adviserColumn[a], value)) } else { unplaced += value }
        }
        // The budget's price joins every block, so belongs with none (each block's own bound, which ignores the
        // budget, still bounds the block's part: its costs only lower that part).
        if let budget { unplaced += budgetPrice(prices) * budget }
        for school in 0..<(wholeNeedStart.count - 1) {
            var value = evaluateWhole(school, prices, used, scratch)
            let needs = wholeNeeds[wholeNeedStart[school] ..< wholeNeedStart[school + 1]]
            var servable = 0
            for q in wholePairStart[school] ..< wholePairStart[school + 1] {
                for j in pairCandidateStart[q] ..< pairCandidateStart[q + 1] { servable |= 1 << pairCandidateNeed[j] }
            }
            for (i, n) in needs.enumerated() where servable & (1 << i) == 0 {
                parts.append((unmetColumn[n], unmetValue[n] * needUnits[n]))
                value -= unmetValue[n] * needUnits[n]
            }
            if let q = (wholePairStart[school] ..< wholePairStart[school + 1]).first { parts.append((pairColumn[q], value)) } else { unplaced += value }
        }
        for (n, candidates) in singleNeeds { parts.append((unmetColumn[n], evaluateSingle(n, candidates, prices, used, scratch))) }
        for (k, options) in singleLeads.enumerated() where !options.isEmpty {
            parts.append((singleLeadColumn[k], evaluateLead(options, singleLeadCost[k], prices, used)))
        }
        return (parts, unplaced, objectiveConstant)
    }

    /// The pairing columns that the schools decided whole open in their best choice at the prices of `search`,
    /// ascending: a plan of the relaxation, whole pairing by pairing, to steer a neighbourhood search by (schools
    /// priced need by need give none). Where it and a plan differ is where the plan may be worse than it need be.
    func pricedPairings(at search: Search) -> [Int] {
        let used = UnsafeMutableBufferPointer<Double>.allocate(capacity: search.prices.count)
        used.initialize(repeating: 0)
        defer { used.deallocate() }
        let scratch = Scratch()
        scratch.opened = []
        for school in 0..<(wholeNeedStart.count - 1) { _ = evaluateWhole(school, search.prices, used, scratch) }
        return Array(Set(scratch.opened ?? [])).sorted()
    }

    /// The bound of `search` taken block by block over a model solved in independent blocks (in the model's own
    /// direction, as `blocks` are): in each block the tighter of the block's own bound and its share of this
    /// one. Never looser than `search.bound`; tighter wherever a block's tree proved more than its share. Just
    /// `search.bound` when a school decided whole has pairings in two blocks.
    func bound(_ search: Search, byBlock blocks: [BlockBound], columns: Int) -> Double {
        var blockOf = [Int](repeating: -1, count: columns)
        for (b, block) in blocks.enumerated() { for j in block.columns { blockOf[j] = b } }
        // A school decided whole is one value, so its pairings must lie in one block. Without a lead to tie
        // them, a school's needs can fall to advisers of different blocks; then the bound is not split.
        for school in 0..<(wholePairStart.count - 1) {
            let range = wholePairStart[school] ..< wholePairStart[school + 1]
            guard let first = range.first else { continue }
            if range.contains(where: { blockOf[pairColumn[$0]] != blockOf[pairColumn[first]] }) { return search.bound }
        }
        let (parts, unplaced, constant) = shares(at: search)
        var share = [Double](repeating: 0, count: blocks.count)
        // The first block's model carries the objective's constant (`ModelBlocks`), and so its bound.
        if share.isEmpty { return modelSign * (unplaced + constant + parts.reduce(0) { $0 + $1.value }) }
        share[0] = constant
        var total = unplaced
        for (column, value) in parts {
            if blockOf[column] >= 0 { share[blockOf[column]] += value } else { total += value }
        }
        for (b, block) in blocks.enumerated() { total += block.bound.map { min(modelSign * $0, share[b]) } ?? share[b] }
        return modelSign * total
    }

    /// Scratch space of one evaluation, sized for the largest school decided whole. Raw buffers owned by a
    /// class rather than arrays in an `inout` struct: every store into such an array checks that the array is
    /// not shared, and those checks, with the retains around them, were a tenth of a national bound's passes
    /// (perf, 6 December).
    private final class Scratch {
        let baseUnit: UnsafeMutableBufferPointer<Double>, baseCandidate: UnsafeMutableBufferPointer<Int>
        let gain: UnsafeMutableBufferPointer<Double>, sums: UnsafeMutableBufferPointer<Double>
        let group: UnsafeMutableBufferPointer<Double>, groupPair: UnsafeMutableBufferPointer<Int>
        let leadGroup: UnsafeMutableBufferPointer<Double>, leadPair: UnsafeMutableBufferPointer<Int>
        let best: UnsafeMutableBufferPointer<Double>, bestGroup: UnsafeMutableBufferPointer<Int>
        var order: [(value: Double, candidate: Int)] = []
        /// When not nil, `evaluateWhole` adds the pairing column of each pairing its choice opens.
        var opened: [Int]? = nil
        init() {
            let needs = AllocationBound.schoolNeeds, subsets = 1 << needs
            func buffer<T>(_ count: Int, _ initial: T) -> UnsafeMutableBufferPointer<T> {
                let b = UnsafeMutableBufferPointer<T>.allocate(capacity: count)
                b.initialize(repeating: initial)
                return b
            }
            baseUnit = buffer(needs, 0.0); baseCandidate = buffer(needs, -1); gain = buffer(needs, 0.0)
            sums = buffer(subsets, 0.0); group = buffer(subsets, 0.0); leadGroup = buffer(subsets, 0.0)
            best = buffer(subsets, 0.0)
            groupPair = buffer(subsets, -1); leadPair = buffer(subsets, -1); bestGroup = buffer(subsets, -1)
        }
        deinit {
            for b in [baseUnit, gain, sums, group, leadGroup, best] { b.deallocate() }
            for b in [baseCandidate, groupPair, leadPair, bestGroup] { b.deallocate() }
        }
    }

    /// The bound at `prices` (capacity prices of the advisers, then their school-place prices, then the budget's
    /// when there is one, all at least 0), and what the relaxed plan that attains it uses of each priced row, in
    /// the same order.
    private func evaluate(_ prices: [Double], used usedArray: inout [Double], scratch: Scratch) -> Double {
        usedArray.withUnsafeMutableBufferPointer { evaluate(prices, used: $0, scratch: scratch) }
    }

    private func evaluate(_ prices: [Double], used: UnsafeMutableBufferPointer<Double>, scratch: Scratch) -> Double {
        let advisers = capacity.count
        for r in used.indices { used[r] = 0 }
        var total = objectiveConstant + restAtBest
        for a in 0..<advisers { total += prices[a] * capacity[a] + prices[advisers + a] * places[a] }
        if let budget { total += budgetPrice(prices) * budget }
        for school in 0..<(wholeNeedStart.count - 1) {
            total += evaluateWhole(school, prices, used, scratch)
        }
        for (n, candidates) in singleNeeds { total += evaluateSingle(n, candidates, prices, used, scratch) }
        for (k, options) in singleLeads.enumerated() where !options.isEmpty { total += evaluateLead(options, singleLeadCost[k], prices, used) }
        return total
    }

    /// The budget's price (0 without a budget): after the advisers' capacity and school-place prices.
    private func budgetPrice(_ prices: [Double]) -> Double { budget == nil ? 0 : prices[2 * capacity.count] }

    /// Adds what `days` of budget (in the price's units) use of the budget row, when there is one.
    private func spend(_ days: Double, _ used: UnsafeMutableBufferPointer<Double>) {
        if budget != nil { used[2 * capacity.count] += days }
    }

    /// The best value of a need priced on its own at `prices`: its best candidates by priced value, the rest
    /// unmet; and their use of the priced rows.
    private func evaluateSingle(_ n: Int, _ candidates: [Int], _ prices: [Double], _ used: UnsafeMutableBufferPointer<Double>, _ scratch: Scratch) -> Double {
        let advisers = capacity.count, money = budgetPrice(prices)
        scratch.order.removeAll(keepingCapacity: true)
        for c in candidates {
            let a = adviser[c]
            let priced = value[c] - prices[a] * resource[c] - prices[advisers + a] * place[c] - money * unitCost[c]
            if priced > unmetValue[n] { scratch.order.append((priced, c)) }
        }
        // Best first; ties by candidate, so the relaxed plan (and the subgradient) never depends on sort order.
        scratch.order.sort { $0.value != $1.value ? $0.value > $1.value : $0.candidate < $1.candidate }
        var left = needUnits[n], total = 0.0
        for (priced, c) in scratch.order where left > 0 {
            let take = min(left, units[c])
            total += priced * take
            used[adviser[c]] += resource[c] * take
            used[advisers + adviser[c]] += place[c] * take
            spend(unitCost[c] * take, used)
            left -= take
        }
        return total + unmetValue[n] * left
    }

    /// The best lead of a school whose needs are priced on their own, at `prices`, and its use of the priced rows.
    private func evaluateLead(_ options: [(value: Double, load: Double, place: Double, adviser: Int)], _ costs: [Double],
                              _ prices: [Double], _ used: UnsafeMutableBufferPointer<Double>) -> Double {
        let advisers = capacity.count, money = budgetPrice(prices)
        var best = 0
        var bestValue = -Double.infinity
        for (k, o) in options.enumerated() {
            let priced = o.value - prices[o.adviser] * o.load - prices[advisers + o.adviser] * o.place - money * costs[k]
            if priced > bestValue { bestValue = priced; best = k }
        }
        used[options[best].adviser] += options[best].load
        used[advisers + options[best].adviser] += options[best].place
        spend(costs[best], used)
        return bestValue
    }

    /// The best value of one school decided whole at `prices`, and its use of the priced rows. Pairings
    /// whose continuity is worth more than their place are open anyway, and each need's baseline is its
    /// best open candidate or unmet. Every other pairing, when opened, serves a group of needs (a subset,
    /// found by subset sums of its gains over the baseline); the needs are then split into such groups at
    /// best (a partition, 3^needs steps), with one group the lead's when the rules require a lead.
    private func evaluateWhole(_ school: Int, _ prices: [Double], _ used: UnsafeMutableBufferPointer<Double>, _ w: Scratch) -> Double {
        let advisers = capacity.count
        let needs = wholeNeeds[wholeNeedStart[school] ..< wholeNeedStart[school + 1]]
        let pairRange = wholePairStart[school] ..< wholePairStart[school + 1]
        let k = needs.count, full = (1 << k) - 1
        var total = 0.0
        for (i, n) in needs.enumerated() { w.baseUnit[i] = unmetValue[n]; w.baseCandidate[i] = -1 }
        let money = budgetPrice(prices)
        func priced(_ c: Int) -> Double { value[c] - prices[adviser[c]] * resource[c] - money * unitCost[c] }
        func openCost(_ q: Int) -> Double { prices[advisers + pairAdviser[q]] - pairValue[q] }
        for q in pairRange where openCost(q) < 0 {
            total -= openCost(q)
            used[advisers + pairAdviser[q]] += 1
            w.opened?.append(pairColumn[q])
            for j in pairCandidateStart[q] ..< pairCandidateStart[q + 1] {
                let c = pairCandidates[j], i = pairCandidateNeed[j]
                if priced(c) > w.baseUnit[i] { w.baseUnit[i] = priced(c); w.baseCandidate[i] = c }
            }
        }
        for (i, n) in needs.enumerated() { total += w.baseUnit[i] * needUnits[n] }
        for t in 0...full { w.group[t] = 0; w.groupPair[t] = -1; w.leadGroup[t] = -.infinity; w.leadPair[t] = -1 }
        for q in pairRange {
            let cost = openCost(q)
            let lead = pairLeadValue[q].map { $0 - prices[pairAdviser[q]] * pairLeadLoad[q] - money * pairLeadCost[q] }
            if cost < 0 {
                if let lead, lead > w.leadGroup[0] { w.leadGroup[0] = lead; w.leadPair[0] = q }
                continue
            }
            var mask = 0
            for i in 0..<k { w.gain[i] = 0 }
            for j in pairCandidateStart[q] ..< pairCandidateStart[q + 1] {
                let i = pairCandidateNeed[j]
                let g = (priced(pairCandidates[j]) - w.baseUnit[i]) * needUnits[needs[needs.startIndex + i]]
                if g > w.gain[i] { w.gain[i] = g; mask |= 1 << i }
            }
            // Subsets of the needs this pairing improves, with their summed gains, smallest first (each sum
            // extends the one without its lowest need).
            w.sums[0] = 0
            var t = (0 &- mask) & mask
            while t > 0 {
                let v = w.sums[t & (t - 1)] + w.gain[t.trailingZeroBitCount]
                w.sums[t] = v
                if v - cost > w.group[t] { w.group[t] = v - cost; w.groupPair[t] = q }
                t = (t &- mask) & mask
            }
            if let lead {
                var t = mask
                while true {
                    let v = (t == 0 ? 0 : w.sums[t]) - cost + lead
                    if v > w.leadGroup[t] { w.leadGroup[t] = v; w.leadPair[t] = q }
                    if t == 0 { break }
                    t = (t - 1) & mask
                }
            }
        }
        // Best split of each set of needs into groups: the group holding its lowest need, then the rest.
        w.best[0] = 0
        if k > 0 {
            for r in 1...full {
                let low = r & -r, rest = r ^ low
                var best = -Double.infinity, bestGroup = low
                var sub = rest
                while true {
                    let t = sub | low
                    let v = w.group[t] + w.best[r ^ t]
                    if v > best { best = v; bestGroup = t }
                    if sub == 0 { break }
                    sub = (sub - 1) & rest
                }
                w.best[r] = best; w.bestGroup[r] = bestGroup
            }
        }
        var served = 0, leadSet = -1
        var chosen = w.best[full]
        if w.leadPair.prefix(full + 1).contains(where: { $0 >= 0 }) {
            chosen = -.infinity
            for t in 0...full where w.leadPair[t] >= 0 && w.leadGroup[t] + w.best[full ^ t] > chosen {
                chosen = w.leadGroup[t] + w.best[full ^ t]; leadSet = t
            }
        }
        total += chosen
        // What the chosen plan uses: each group's pairing serves its needs where it beats the baseline.
        func serve(_ q: Int, _ t: Int) {
            for j in pairCandidateStart[q] ..< pairCandidateStart[q + 1] {
                let c = pairCandidates[j], i = pairCandidateNeed[j]
                guard t & (1 << i) != 0, priced(c) > w.baseUnit[i] else { continue }
                used[adviser[c]] += resource[c] * needUnits[needs[needs.startIndex + i]]
                spend(unitCost[c] * needUnits[needs[needs.startIndex + i]], used)
                served |= 1 << i
            }
        }
        var left = full
        if leadSet >= 0 {
            let q = w.leadPair[leadSet]
            used[pairAdviser[q]] += pairLeadLoad[q]
            spend(pairLeadCost[q], used)
            if openCost(q) >= 0 { used[advisers + pairAdviser[q]] += 1; serve(q, leadSet); w.opened?.append(pairColumn[q]) }
            left ^= leadSet
        }
        while left != 0 {
            let t = w.bestGroup[left]
            let q = w.groupPair[t]
            if q >= 0 { used[advisers + pairAdviser[q]] += 1; serve(q, t); w.opened?.append(pairColumn[q]) }
            left ^= t
        }
        for (i, n) in needs.enumerated() where served & (1 << i) == 0 && w.baseCandidate[i] >= 0 {
            let c = w.baseCandidate[i]
            used[adviser[c]] += resource[c] * needUnits[n]
            spend(unitCost[c] * needUnits[n], used)
        }
        return total
    }

    /// The best bound (in the model's own direction and sign) found in at most `passes` subgradient steps
    /// with Polyak step lengths towards `incumbent`, the objective of a plan in hand; stops early at
    /// `deadline`, when `shouldStop` says so, or when the bound meets the incumbent. Nil when unbounded.
    /// Not clamped to the incumbent: a caller that holds a plan takes the better of the two.
    func bound(incumbent: Double, direction sign: Double, passes: Int? = nil, deadline: ContinuousClock.Instant? = nil,
               shouldStop: (() -> Bool)? = nil) -> Double? {
        search(incumbent: incumbent, direction: sign, passes: passes, deadline: deadline, shouldStop: shouldStop)?.bound
    }

    /// What `bound` found and how: the passes made and the patience they were given, for the solver's log,
    /// and the prices and step length it ended with, from which another search can go on.
    struct Search: Sendable {
        var bound: Double
        var passes: Int
        var patience: Int
        fileprivate var prices: [Double]
        fileprivate var step: Double

        /// The same prices with the first step length: to go on over a different model of the same advisers.
        var restarted: Search { var copy = self; copy.step = 2.0; return copy }
    }

    /// The passes a search makes when not told: about a billion candidate evaluations (see `search`).
    static func defaultPasses(candidates: Int) -> Int { min(20_000, max(100, 1_000_000_000 / max(1, candidates))) }

    /// `bound`, with the passes made and the patience used; from the best prices and the step length of
    /// `earlier` when given (a search towards a rough incumbent, made beside the heuristic).
    /// `latestIncumbent`, asked every pass, tells the objective of a better plan found meanwhile (the heuristic
    /// beside it): Polyak steps aimed at a plan far below the optimum overshoot.
    func search(incumbent: Double, direction sign: Double, passes: Int? = nil, deadline: ContinuousClock.Instant? = nil,
                shouldStop: (() -> Bool)? = nil, from earlier: Search? = nil, latestIncumbent: (() -> Double?)? = nil) -> Search? {
        guard isBounded else { return nil }
        // Subgradient steps converge slowly: 5,000 passes take a 1,000-school model to 0.6% above the plan
        // (20,000 passed 10% above GLPK's bound before schools were decided whole and the direction
        // deflected). A pass costs a sweep over the candidates, so large models get fewer, about a
        // billion candidate evaluations in all (1,400 passes at 22,000 schools with candidate_advisers = 10:
        // 40 s when first measured, under 8 s since 6 December), and the same number on any machine when
        // there is no time limit.
        let passes = passes ?? AllocationBound.defaultPasses(candidates: value.count)
        var goal = sign * incumbent
        let limits = capacity + places + (budget.map { [$0] } ?? [])
        // Prices from a search of another model of the same advisers; a budget's only if both had one.
        var prices = [Double](repeating: 0, count: limits.count)
        if let earlier { for r in 0..<min(prices.count, earlier.prices.count) { prices[r] = earlier.prices[r] } }
        var used = [Double](repeating: 0, count: limits.count)
        let scratch = Scratch()
        var current = evaluate(prices, used: &used, scratch: scratch)
        let began = ContinuousClock.now
        // Steps halve after `patience` passes without a better bound. The first steps overshoot; with fewer
        // than 60 passes after the search (a national model without candidate_advisers: 3.6 million
        // candidates, a few passes a second) the bound never left its first value. So the patience is a
        // tenth of the passes there is time for (no deadline: the passes given), at most `patience`. The
        // passes there is time for are estimated every four passes from those made so far, not counting the
        // first, which can be slower than the rest.
        func patienceAfter(_ done: Int) -> Int {
            guard let deadline else { return min(AllocationBound.patience, max(3, passes / 10)) }
            let perPass = max(1e-6, seconds(since: began) / Double(done))
            let affordable = min(passes, done + Int(max(0, -seconds(since: deadline)) / perPass))
            return min(AllocationBound.patience, max(3, affordable / 10))
        }
        var patience = deadline == nil ? patienceAfter(0) : AllocationBound.patience
        var best = current, bestPrices = prices
        var step = earlier?.step ?? 2.0, sinceImproved = 0, made = 0
        var g = [Double](repeating: 0, count: limits.count)
        var direction = g
        for pass in 0..<passes {
            if current - goal <= 1e-9 * max(1, abs(goal)) { break }
            if (deadline.map { ContinuousClock.now >= $0 } ?? false) || (shouldStop?() ?? false) { break }
            if pass > 0 && pass % 4 == 0 { patience = patienceAfter(pass) }
            if let latest = latestIncumbent?() { goal = max(goal, sign * latest) }
            made = pass + 1
            // The bound moves by (limit − used) per unit of price; a zero price with room to spare stays.
            var norm = 0.0
            for r in limits.indices {
                let slack = limits[r] - used[r]
                g[r] = prices[r] == 0 && slack > 0 ? 0 : slack
                norm += g[r] * g[r]
            }
            guard norm > 0 else { break }
            // Deflected direction (Camerini, Fratta and Maffioli): when the new subgradient turns back
            // against the last direction, part of that direction is kept, which damps the zigzag between
            // prices that open and close whole pairings. On the generated 1,000 x 150, 5,000 passes: 10.3%
            // above the LP bound -> 3.1% (with the patience of 150 below, 0.6%).
            var dot = 0.0, previous = 0.0
            for r in g.indices { dot += g[r] * direction[r]; previous += direction[r] * direction[r] }
            let keep = dot < 0 && previous > 0 ? -1.5 * dot / previous : 0
            norm = 0
            for r in g.indices { g[r] += keep * direction[r]; norm += g[r] * g[r]; direction[r] = g[r] }
            let t = step * (current - goal) / norm
            for r in prices.indices { prices[r] = max(0, prices[r] - t * g[r]) }
            current = evaluate(prices, used: &used, scratch: scratch)
            if current < best - 1e-9 * max(1, abs(best)) {
                best = current; bestPrices = prices; sinceImproved = 0
            } else {
                sinceImproved += 1
                if sinceImproved >= patience {
                    step /= 2; sinceImproved = 0
                    if step < 1e-6 { break }
                    prices = bestPrices
                    current = evaluate(prices, used: &used, scratch: scratch)
                }
            }
        }
        return Search(bound: sign * best, passes: made, patience: patience, prices: bestPrices, step: step)
    }
}

/// `AllocationBound` on a thread of its own while the heuristic runs on another: the heuristic is
/// single-threaded, so on two cores the second was idle for most of a national solve, and the bound's
/// subgradient search improves with every pass it is given. Its target is the heuristic's first plan, then
/// each better one the heuristic tells `improved(to:)`; `finish` stops it when the heuristic ends, and the bound after the search goes on from its prices.
final class BoundBesideHeuristic: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private var outcome: (bound: AllocationBound, search: AllocationBound.Search?)?
    private let done = DispatchSemaphore(value: 0)
    private var started = false
    private var fixedPasses = false

    /// Starts the search towards `incumbent` until `deadline`, `finish` or `shouldStop`, from the prices of
    /// `earlier` when given (a search of a restricted model of the same advisers: any prices bound any model).
    /// With `passes` instead of a deadline (no time limit), it makes exactly that many, aimed at `incumbent`
    /// alone, and `finish` waits for them (only `shouldStop` ends them sooner): the bound is then the same in
    /// every run, however fast the heuristic beside it.
    func start(_ formulation: AllocationFormulation, incumbent: Double, deadline: ContinuousClock.Instant?, passes: Int? = nil,
               shouldStop: (@Sendable () -> Bool)?, from earlier: AllocationBound.Search? = nil) {
        // Once only: a heuristic that starts from a first plan of its own tells its first plan too.
        guard !started else { return }
        started = true
        fixedPasses = passes != nil
        let thread = Thread { [self] in
            let bound = AllocationBound(formulation)
            // Without `passes`, no pass limit: the deadline (the heuristic's) or `finish` ends it.
            let search = bound.search(incumbent: incumbent, direction: 1, passes: passes ?? Int.max, deadline: deadline,
                                      shouldStop: { self.isStopped || (shouldStop?() ?? false) }, from: earlier,
                                      latestIncumbent: passes != nil ? nil : { self.lock.withLock { self.latest } })
            lock.withLock { outcome = (bound, search) }
            done.signal()
        }
        thread.start()
    }

    private var isStopped: Bool { lock.withLock { stopped } }
    private var latest: Double?

    /// A better plan's objective (the heuristic's): the search aims at it from its next pass.
    func improved(to objective: Double) {
        lock.withLock { latest = max(latest ?? -.infinity, objective) }
    }

    /// Stops the search and returns the bound it built with what it found; nil when it never started.
    func finish() -> (bound: AllocationBound, search: AllocationBound.Search?)? {
        guard started else { return nil }
        if !fixedPasses { lock.withLock { stopped = true } }
        done.wait()
        return lock.withLock { outcome }
    }
}
