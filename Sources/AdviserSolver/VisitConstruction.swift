/// A fast constructive pass: each pairing's visits get target dates spread evenly over the half-term
/// blocks open to it, no later than the visits after them can still fit at the gap; then all the
/// adviser's visits, densest pairings first and then in target order, take the nearest date the rules
/// allow (a preferred weekday within a week of it wins); a pairing left short is packed earliest first;
/// last, moves onto preferred weekdays and into blocks a pairing lacks, while they raise the score and it
/// is below the upper bound. On realistic calendars this reaches the bound, so no program is needed.
enum VisitConstruction {
    typealias Placement = VisitProblem.Placement

    /// Calendar days a preferred weekday may lie further from a visit's target than another day.
    static let preferredPull = 7

    /// - Parameter bound: a score no schedule exceeds; moves stop once it is reached.
    static func dates(for problem: VisitProblem, bound: Double) -> [[Placement]] {
        var diary = VisitDiary(problem)
        struct Visit { var pairing: Int; var full: Bool; var target: Int; var latest: Int; var block: Int?; var dense: Bool }
        var queue: [Visit] = []
        for (p, pairing) in problem.pairings.enumerated() {
            let (targets, dense) = self.targets(pairing, problem)
            for (k, t) in targets.enumerated() {
                queue.append(Visit(pairing: p, full: k < pairing.full, target: problem.days[t.day].number, latest: t.latest,
                                   block: problem.days[t.day].block, dense: dense))
            }
        }
        // Dense pairings first, while the days they need are free; ties keep pairing order.
        queue = queue.enumerated().sorted { ($0.element.dense ? 0 : 1, $0.element.target, $0.offset) < ($1.element.dense ? 0 : 1, $1.element.target, $1.offset) }
            .map(\.element)
        for visit in queue {
            let pairing = problem.pairings[visit.pairing]
            let visited = Set(diary.placed[visit.pairing].compactMap { problem.days[$0.day].block })
            var best: (cost: Int, x: Placement)?
            for o in pairing.options {
                let day = problem.days[o.day]
                // Past the latest day only when nothing else is left; outside the target block only when it is
                // full, and then a block the pairing lacks comes first.
                let lateCost = day.number > visit.latest ? 40_000 : 0
                let blockCost = day.block == visit.block ? 0 : (day.block.map { visited.contains($0) } ?? true) ? 20_000 : 10_000
                let cost = lateCost + blockCost + abs(day.number - visit.target) + (day.preferred ? 0 : preferredPull)
                if let best, best.cost <= cost { continue }
                if let part = part(diary, visit.pairing, full: visit.full, o) { best = (cost, Placement(day: o.day, part: part)) }
            }
            if let best { diary.place(visit.pairing, best.x) }
        }
        repack(&diary)
        for _ in 0..<improvementPasses where problem.score(diary.placed) < bound - 1e-9 {
            guard improve(&diary) else { break }
        }
        return diary.placed
    }

    /// The day each visit of a pairing aims at (full visits first) with the latest day it may take so that
    /// the visits after it still fit at the gap, and whether the pairing is dense: at least half as many
    /// visits as its open days hold at the gap. Blocks get visits in proportion to their open days (each
    /// block one before any gets two; fewer visits than blocks take blocks evenly spaced), and within a
    /// block visits sit at evenly spaced open days; a target outside the days its visit can take at the gap
    /// (earliest to latest) moves to the nearer end, which packs a pairing with no days to spare.
    static func targets(_ pairing: VisitProblem.Pairing, _ problem: VisitProblem) -> (visits: [(day: Int, latest: Int)], dense: Bool) {
        let usable = pairing.options.filter(pairing.usable).map(\.day)
        let numbers = usable.map { problem.days[$0].number }
        let earliest = VisitProblem.earliestFirst(numbers, gap: problem.gap)
        let n = min(pairing.count, earliest.count)
        guard n > 0 else { return ([], false) }
        // Latest positions: packed from the end, last visit first.
        var latest = [Int](repeating: 0, count: n)
        var position = numbers.count - 1
        for k in stride(from: n - 1, through: 0, by: -1) {
            if k < n - 1 { while numbers[position] > numbers[latest[k + 1]] - problem.gap { position -= 1 } }
            latest[k] = position
        }
        var groups: [[Int]] = []  // usable days by block, in date order
        for d in usable {
            if let last = groups.last?.last, problem.days[last].block == problem.days[d].block { groups[groups.count - 1].append(d) }
            else { groups.append([d]) }
        }
        let b = groups.count
        var quota = [Int](repeating: 0, count: b)
        if n <= b {
            for k in 0..<n { quota[(2 * k + 1) * b / (2 * n)] = 1 }
        } else {
            // One each, the rest by largest remainder of the groups' shares of open days.
            let extra = n - b, total = usable.count
            var shares: [(rest: Int, index: Int)] = []
            for (i, g) in groups.enumerated() {
                quota[i] = 1 + extra * g.count / total
                shares.append((extra * g.count % total, i))
            }
            var left = n - quota.reduce(0, +)
            for share in shares.sorted(by: { ($1.rest, $0.index) < ($0.rest, $1.index) }) where left > 0 {
                quota[share.index] += 1
                left -= 1
            }
        }
        var even: [Int] = []
        for (g, q) in zip(groups, quota) {
            for k in 0..<q { even.append(g[(2 * k + 1) * g.count / (2 * q)]) }
        }
        let visits = even.enumerated().map { k, d in
            let day = problem.days[d].number < numbers[earliest[k]] ? usable[earliest[k]]
                : problem.days[d].number > numbers[latest[k]] ? usable[latest[k]] : d
            return (day: day, latest: numbers[latest[k]])
        }
        return (visits, 2 * pairing.count >= earliest.count)
    }

    /// A pairing left with visits undated takes its visits again earliest first, each the gap after the
    /// last: that places the most the free days allow, which evenly spread targets may not.
    static func repack(_ diary: inout VisitDiary) {
        let problem = diary.problem
        for (p, pairing) in problem.pairings.enumerated() where diary.placed[p].count < pairing.count {
            let before = diary.placed[p]
            for x in before { diary.remove(p, x) }
            var full = pairing.full, half = pairing.half
            for o in pairing.options where full + half > 0 {
                if full > 0 && diary.allows(p, o, .full) {
                    diary.place(p, Placement(day: o.day, part: .full))
                    full -= 1
                } else if half > 0, let part = diary.half(p, o) {
                    diary.place(p, Placement(day: o.day, part: part))
                    half -= 1
                }
            }
            if diary.placed[p].count <= before.count {
                for x in diary.placed[p] { diary.remove(p, x) }
                for x in before { diary.place(p, x) }
            }
        }
    }

    /// Sweeps of `improve` at most: each usually finds all it will, and a sweep costs the most of all steps.
    static let improvementPasses = 4

    /// One sweep of moves that raise the score; false when none did. A visit moves to another date where
    /// its pairing gains spread or a preferred weekday, directly or by first moving a visit of another
    /// pairing out of the way (off that day, or out of that week when the week is full).
    static func improve(_ diary: inout VisitDiary) -> Bool {
        let problem = diary.problem
        var improved = false
        for (p, pairing) in problem.pairings.enumerated() {
            for x in diary.placed[p] {
                for o in pairing.options where o.day != x.day && pairing.usable(o) {
                    let gain = self.gain(problem, p, diary.placed[p], moving: x, to: o.day)
                    guard gain > 1e-9 else { continue }
                    if move(&diary, p, x, to: o) || moveAside(&diary, p, x, to: o, gain: gain) {
                        improved = true
                        break
                    }
                }
            }
        }
        return improved
    }

    /// How much the score changes when visit x of pairing p, among `placed`, moves to day d: the preferred
    /// weekday it gains or loses, and the block it adds or leaves empty.
    static func gain(_ problem: VisitProblem, _ p: Int, _ placed: [Placement], moving x: Placement, to d: Int) -> Double {
        let length = x.part == .full ? 1.0 : 0.5
        var gain = VisitProblem.preferredDayReward * length * ((problem.days[d].preferred ? 1 : 0) - (problem.days[x.day].preferred ? 1 : 0))
        let from = problem.days[x.day].block, to = problem.days[d].block
        if problem.rewardsSpread && problem.pairings[p].count > 1 && from != to {
            func visits(_ block: Int?) -> Bool { placed.contains { $0 != x && problem.days[$0.day].block == block } }
            if to != nil && !visits(to) { gain += VisitProblem.spreadReward }
            if from != nil && !visits(from) { gain -= VisitProblem.spreadReward }
        }
        return gain
    }

    /// The part of `o` a whole-day or half-day visit of p may take.
    static func part(_ diary: VisitDiary, _ p: Int, full: Bool, _ o: VisitProblem.Option) -> VisitProblem.Part? {
        full ? (diary.allows(p, o, .full) ? .full : nil) : diary.half(p, o)
    }

    /// Moves visit x of p to option o if the rules allow it.
    static func move(_ diary: inout VisitDiary, _ p: Int, _ x: Placement, to o: VisitProblem.Option) -> Bool {
        diary.remove(p, x)
        if let part = part(diary, p, full: x.part == .full, o) {
            diary.place(p, Placement(day: o.day, part: part))
            return true
        }
        diary.place(p, x)
        return false
    }

    /// Moves x to o after moving one visit of another pairing that holds o's day or o's full week, when
    /// the two moves together gain.
    static func moveAside(_ diary: inout VisitDiary, _ p: Int, _ x: Placement, to o: VisitProblem.Option, gain: Double) -> Bool {
        let problem = diary.problem
        let week = problem.days[o.day].week
        for (q, y) in diary.visits(onDay: o.day) + diary.visits(inWeek: week) where q != p {
            let placed = diary.placed[q]
            diary.remove(q, y)
            diary.remove(p, x)
            if let part = part(diary, p, full: x.part == .full, o) {
                let moved = Placement(day: o.day, part: part)
                diary.place(p, moved)
                for o2 in problem.pairings[q].options where o2.day != y.day && o2.day != o.day {
                    guard gain + self.gain(problem, q, placed, moving: y, to: o2.day) > 1e-9,
                          let part2 = self.part(diary, q, full: y.part == .full, o2) else { continue }
                    diary.place(q, Placement(day: o2.day, part: part2))
                    return true
                }
                diary.remove(p, moved)
            }
            diary.place(p, x)
            diary.place(q, y)
        }
        return false
    }
}
