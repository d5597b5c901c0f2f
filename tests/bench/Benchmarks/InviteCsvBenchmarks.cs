using System.Text;
using BenchmarkDotNet.Attributes;
using ChaosModular.Organizations.Domain;

namespace ChaosModular.Benchmarks;

/// <summary>
/// Organizations' bulk-invite file of 25,000 rows: reading it (CsvFile's upload rules) and reviewing every row
/// (email form, role, duplicates, then the portal's answers, here from sets as the review gets them preloaded).
/// </summary>
[MemoryDiagnoser]
public class InviteCsvBenchmarks
{
    public const int Rows = 25_000;

    private byte[] _file = [];
    private IReadOnlyList<InviteCsvRow> _rows = [];
    private HashSet<string> _registered = [];
    private HashSet<string> _members = [];

    [GlobalSetup]
    public void Setup()
    {
        var csv = new StringBuilder("email,role\r\n");
        for (var i = 0; i < Rows; i++)
        {
            // Mostly good rows, with the problems a real file has: bad emails, unknown roles, repeats.
            var email = i % 97 == 0 ? $"not-an-email-{i}" : i % 89 == 0 ? $"person{i - 1}@example.com" : $"person{i}@example.com";
            var role = i % 53 == 0 ? "Owner" : i % 3 == 0 ? "Guest" : "Member";
            csv.Append(email).Append(',').Append(role).Append("\r\n");
        }
        _file = Encoding.UTF8.GetBytes(csv.ToString());
        _rows = InviteCsv.Read(_file).Rows;
        _registered = new HashSet<string>(Enumerable.Range(0, Rows).Where(i => i % 4 != 0).Select(i => $"person{i}@example.com"), StringComparer.OrdinalIgnoreCase);
        _members = new HashSet<string>(Enumerable.Range(0, Rows).Where(i => i % 10 == 1).Select(i => $"person{i}@example.com"), StringComparer.OrdinalIgnoreCase);
    }

    [Benchmark]
    public int Read() => InviteCsv.Read(_file).Rows.Count;

    [Benchmark]
    public int Review() => InviteCsv.Review(_rows, _registered.Contains, _members.Contains).Count;

    [Benchmark]
    public int ReadAndReview() => InviteCsv.Review(InviteCsv.Read(_file).Rows, _registered.Contains, _members.Contains).Count;
}
