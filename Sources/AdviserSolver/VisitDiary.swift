/// The adviser's diary while visits are placed one at a time: who holds each half day, the days used in
/// each week and each pairing's visits. It answers "may this visit go here" by the program's own rules.
struct VisitDiary {
    typealias Placement = VisitProblem.Placement

    let problem: VisitProblem
    private var morning: [Int?]
    private var afternoon: [Int?]
    private var weekUsed: [Double]
    private(set) var placed: [[Placement]]

    init(_ problem: VisitProblem) {
        self.problem = problem
        morning = Array(repeating: nil, count: problem.days.count)
        afternoon = morning
        weekUsed = Array(repeating: 0, count: problem.weekRoom.count)
        placed = Array(repeating: [], count: problem.pairings.count)
    }

    /// Whether a visit of pairing p may take this part of the option's day, given the visits placed so far.
    func allows(_ p: Int, _ option: VisitProblem.Option, _ part: VisitProblem.Part) -> Bool {
        let d = option.day, day = problem.days[d]
        let length = part == .full ? 1.0 : 0.5
        guard weekUsed[day.week] + length <= problem.weekRoom[day.week] + 1e-9 else { return false }
        switch part {
        case .full:
            guard option.amFree, option.pmFree, morning[d] == nil, afternoon[d] == nil else { return false }
        case .morning:
            guard option.amFree, morning[d] == nil, afternoon[d].map({ !problem.farApart[p][$0] }) ?? true else { return false }
        case .afternoon:
            guard option.pmFree, afternoon[d] == nil, morning[d].map({ !problem.farApart[$0][p] }) ?? true else { return false }
        }
        return placed[p].allSatisfy { abs(problem.days[$0.day].number - day.number) >= problem.gap }
    }

    /// The half of `option` a half-day visit of p may take, morning first; nil when neither.
    func half(_ p: Int, _ option: VisitProblem.Option) -> VisitProblem.Part? {
        if allows(p, option, .morning) { return .morning }
        if allows(p, option, .afternoon) { return .afternoon }
        return nil
    }

    mutating func place(_ p: Int, _ x: Placement) {
        if x.part != .afternoon { morning[x.day] = p }
        if x.part != .morning { afternoon[x.day] = p }
        weekUsed[problem.days[x.day].week] += x.part == .full ? 1 : 0.5
        placed[p].append(x)
    }

    /// Visits held on a day, as (pairing, placement): a pairing has at most one a day.
    func visits(onDay d: Int) -> [(Int, Placement)] {
        var holders = [morning[d], afternoon[d]].compactMap { $0 }
        if holders.count == 2 && holders[0] == holders[1] { holders.removeLast() }
        return holders.compactMap { p in placed[p].first { $0.day == d }.map { (p, $0) } }
    }

    /// Visits in a week that is full, as (pairing, placement); none when the week has room left.
    func visits(inWeek w: Int) -> [(Int, Placement)] {
        guard weekUsed[w] + 0.5 > problem.weekRoom[w] + 1e-9 else { return [] }
        return placed.indices.flatMap { p in placed[p].filter { problem.days[$0.day].week == w }.map { (p, $0) } }
    }

    mutating func remove(_ p: Int, _ x: Placement) {
        if x.part != .afternoon { morning[x.day] = nil }
        if x.part != .morning { afternoon[x.day] = nil }
        weekUsed[problem.days[x.day].week] -= x.part == .full ? 1 : 0.5
        placed[p].removeAll { $0 == x }
    }
}
