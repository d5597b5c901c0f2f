using System.Globalization;

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
    public const int MaxBytes = CsvFile.MaxBytes;

    /// <summary>Rows in one file: the review page lists them all and carries them to the confirm step.</summary>
    public const int MaxRows = 1000;

    public const string Template = "email,product,expires\r\nanna@example.com,vray-premium,2027-01-31\r\nben@example.com,V-Ray Premium,2027-01-31\r\n";

    public static (IReadOnlyList<AllocationCsvRow> Rows, string? Problem) Read(byte[] file)
    {
        var (rows, problem) = CsvFile.Read(file, ["email", "product", "expires"], "email,product,expires");
        if (problem is not null)
        {
            return ([], problem);
        }
        return rows.Count > MaxRows
            ? ([], $"The file has more than {MaxRows} rows. Split it into smaller files.")
            : ([.. rows.Select(r => new AllocationCsvRow(r.Line, r.Cells[0], r.Cells[1], r.Cells[2]))], null);
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
