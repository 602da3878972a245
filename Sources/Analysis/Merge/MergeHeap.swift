/// A binary min-heap of files keyed by the time stamp of their head line; ties go to the lower file
/// index. Push and pop cost O(log n) in the number of files, so a merge of n logs costs O(log n)
/// per line.
struct MergeHeap {
    private var times: [Int64] = []
    private var files: [Int] = []

    init() {}

    var isEmpty: Bool { files.isEmpty }

    mutating func push(file: Int, time: Int64) {
        times.append(time)
        files.append(file)
        var child = files.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard precedes(child, parent) else { break }
            swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the file with the earliest head (lowest index among equal times).
    mutating func pop() -> Int? {
        guard let first = files.first else { return nil }
        let last = files.count - 1
        swapAt(0, last)
        times.removeLast()
        files.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < files.count else { break }
            var smallest = left
            if left + 1 < files.count, precedes(left + 1, left) { smallest = left + 1 }
            guard precedes(smallest, parent) else { break }
            swapAt(smallest, parent)
            parent = smallest
        }
        return first
    }

    @inline(__always)
    private func precedes(_ a: Int, _ b: Int) -> Bool {
        times[a] < times[b] || (times[a] == times[b] && files[a] < files[b])
    }

    @inline(__always)
    private mutating func swapAt(_ a: Int, _ b: Int) {
        times.swapAt(a, b)
        files.swapAt(a, b)
    }
}
