using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace ChaosModular.Organizations.Domain;

/// <summary>One data row of an uploaded CSV file: its line (the header is line 1) and the named columns' cells, in the order asked.</summary>
internal sealed record CsvFileRow(int Line, IReadOnlyList<string> Cells);

/// <summary>
/// The rules every uploaded CSV file of the Organization pages follows: at most 5 MB, UTF-8 with or without a byte
/// order mark, comma or semicolon separated (as spreadsheets in comma-decimal locales save it), quoted fields, a
/// header naming the columns in any order and case, blank lines (or lines of separators only) ignored. A file that
/// breaks them is refused whole with a message.
/// </summary>
internal static class CsvFile
{
    public const int MaxBytes = 5 * 1024 * 1024;

    public static (IReadOnlyList<CsvFileRow> Rows, string? Problem) Read(byte[] file, IReadOnlyList<string> columns, string header)
    {
        if (file.Length > MaxBytes)
        {
            return ([], $"The file is larger than {MaxBytes / (1024 * 1024)} MB. Split it into smaller files of {header} rows.");
        }
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(file);
        }
        catch (DecoderFallbackException)
        {
            return ([], "This is not a CSV text file (it is not UTF-8 text). Save the sheet as \"CSV UTF-8\" and upload that.");
        }
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            return ([], "This is not a CSV text file. Save the sheet as \"CSV UTF-8\" and upload that.");
        }
        text = text.TrimStart('\uFEFF');
        var firstLine = text.Split('\n', 2)[0];
        var delimiter = firstLine.Contains(';', StringComparison.Ordinal) && !firstLine.Contains(',', StringComparison.Ordinal) ? ";" : ",";
        string? badData = null;
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter,
            HasHeaderRecord = true,
            IgnoreBlankLines = true,
            TrimOptions = TrimOptions.Trim,
            MissingFieldFound = null,
            HeaderValidated = null,
            BadDataFound = args => badData ??= $"Line {args.Context.Parser?.RawRow}: a quote is not closed or is inside an unquoted field.",
        };
        using var reader = new StringReader(text);
        using var csv = new CsvReader(reader, config);
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { } names)
        {
            return ([], $"The file is empty. Download the template and fill in one {header} row per person.");
        }
        var indexes = columns.Select(c => Array.FindIndex(names, h => h.Trim().Equals(c, StringComparison.OrdinalIgnoreCase))).ToArray();
        if (indexes.Any(i => i < 0))
        {
            return ([], $"The first line must be the header {header} (download the template).");
        }
        var rows = new List<CsvFileRow>();
        while (csv.Read())
        {
            var cells = indexes.Select(i => csv.TryGetField<string>(i, out var value) ? value ?? "" : "").ToArray();
            if (cells.All(c => c.Length == 0))
            {
                continue;   // a line of separators only: blank for a spreadsheet
            }
            rows.Add(new CsvFileRow(csv.Parser.RawRow, cells));
        }
        return badData is null ? (rows, null) : ([], $"This file is not valid CSV. {badData}");
    }
}
