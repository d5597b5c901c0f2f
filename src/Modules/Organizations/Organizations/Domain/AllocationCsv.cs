using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace ChaosModular.Organizations.Domain;

/// <summary>What the review page says about one row of an allocation file.</summary>
internal enum AllocationRowState
{
    Ready,
    InvalidEmail,
    NotInOrganization,
    UnknownProduct,
    InvalidDate,
    DateInPast,
    AfterLicenseEnds,
    DuplicateInFile,
}

/// <param name="Line">The row's line in the file (the header is line 1).</param>
internal sealed record AllocationCsvRow(int Line, string Email, string Product, string Expires)
{
    /// <summary>The expiration date as the template writes it: yyyy-MM-dd.</summary>
    public DateOnly? ExpiresOn => DateOnly.TryParseExact(Expires.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
}

/// <summary>A product the file may name, by its code or its name, with the last day its licenses last.</summary>
internal sealed record AllocatableProduct(string Code, string Name, DateOnly LastDay);

/// <summary>
/// The allocation file (<c>email,product,expires</c>, one seat per row): the same reading rules as the invite file
/// (UTF-8 with or without a byte order mark, comma or semicolon, quoted fields, header in any order and case, blank
/// lines ignored, 5 MB at most). A file that cannot be read is refused whole; each row gets a state on the review page,
/// and only a file whose rows are all Ready can be allocated (Licensing then checks the seats, all or nothing).
/// </summary>
internal static class AllocationCsv
{
    public const int MaxBytes = 5 * 1024 * 1024;

    /// <summary>Rows in one file: the review page lists them all and carries them to the confirm step.</summary>
    public const int MaxRows = 1000;

    public const string Template = "email,product,expires\r\nanna@example.com,vray-premium,2027-01-31\r\nben@example.com,V-Ray Premium,2027-01-31\r\n";

    public static (IReadOnlyList<AllocationCsvRow> Rows, string? Problem) Read(byte[] file)
    {
        if (file.Length > MaxBytes)
        {
            return ([], $"The file is larger than {MaxBytes / (1024 * 1024)} MB. Split it into smaller files of email,product,expires rows.");
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
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { } header)
        {
            return ([], "The file is empty. Download the template and fill in one email,product,expires row per seat.");
        }
        int Column(string name) => Array.FindIndex(header, h => h.Trim().Equals(name, StringComparison.OrdinalIgnoreCase));
        var (emailColumn, productColumn, expiresColumn) = (Column("email"), Column("product"), Column("expires"));
        if (emailColumn < 0 || productColumn < 0 || expiresColumn < 0)
        {
            return ([], "The first line must be the header email,product,expires (download the template).");
        }
        var rows = new List<AllocationCsvRow>();
        while (csv.Read())
        {
            string Field(int column) => csv.TryGetField<string>(column, out var value) ? value ?? "" : "";
            var (email, product, expires) = (Field(emailColumn), Field(productColumn), Field(expiresColumn));
            if (email.Length == 0 && product.Length == 0 && expires.Length == 0)
            {
                continue;   // a line of separators only: blank for a spreadsheet
            }
            if (rows.Count == MaxRows)
            {
                return ([], $"The file has more than {MaxRows} rows. Split it into smaller files.");
            }
            rows.Add(new AllocationCsvRow(csv.Parser.RawRow, email, product, expires));
        }
        return badData is null ? (rows, null) : ([], $"This file is not valid CSV. {badData}");
    }

    /// <summary>The product a cell names: its code or its name, in any case; null when the organization has no such product.</summary>
    public static AllocatableProduct? ProductOf(string cell, IReadOnlyList<AllocatableProduct> products)
    {
        var value = cell.Trim();
        return products.FirstOrDefault(p => p.Code.Equals(value, StringComparison.OrdinalIgnoreCase))
            ?? products.FirstOrDefault(p => p.Name.Equals(value, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Each row's state, in the order a reader fixes them: the email's form, whether that person is a member or guest of
    /// the organization, the product, the date (its form, not past, not after the product's licenses end), and a
    /// repeat of an earlier row for the same person and product.
    /// </summary>
    public static IReadOnlyList<(AllocationCsvRow Row, AllocationRowState State)> Review(IReadOnlyList<AllocationCsvRow> rows,
        Func<string, bool> isMemberOrGuest, IReadOnlyList<AllocatableProduct> products, DateOnly today)
    {
        var seen = new HashSet<(string, string)>();
        return [.. rows.Select(row =>
        {
            var product = ProductOf(row.Product, products);
            var state = !InviteCsv.IsEmail(row.Email.Trim()) ? AllocationRowState.InvalidEmail
                : !isMemberOrGuest(row.Email.Trim()) ? AllocationRowState.NotInOrganization
                : product is null ? AllocationRowState.UnknownProduct
                : row.ExpiresOn is not { } day ? AllocationRowState.InvalidDate
                : day < today ? AllocationRowState.DateInPast
                : day > product.LastDay ? AllocationRowState.AfterLicenseEnds
                : !seen.Add((row.Email.Trim().ToUpperInvariant(), product.Code)) ? AllocationRowState.DuplicateInFile
                : AllocationRowState.Ready;
            return (row, state);
        })];
    }

    public static string Describe(AllocationRowState state) => state switch
    {
        AllocationRowState.Ready => "Ready",
        AllocationRowState.InvalidEmail => "Invalid email",
        AllocationRowState.NotInOrganization => "Not a member or guest of the organization",
        AllocationRowState.UnknownProduct => "Unknown product (use a product code or name from the Products page)",
        AllocationRowState.InvalidDate => "Invalid date (write it as yyyy-MM-dd)",
        AllocationRowState.DateInPast => "Expiration date in the past",
        AllocationRowState.AfterLicenseEnds => "Expiration date after the license ends",
        AllocationRowState.DuplicateInFile => "Duplicate in the file (same person and product)",
        _ => state.ToString(),
    };
}
