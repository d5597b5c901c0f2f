
namespace ChaosModular.Catalog.Domain;

/// <summary>
/// Catalog rows are keyed by the codes in the data file, which other modules keep. Items dropped from
/// the file are retired, never deleted, so old subscriptions still resolve them.
/// </summary>
internal sealed class ProductFamily
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string? ServiceUrl { get; set; }

    /// <summary>Versions older than this one are activated with a license key (catalog data; null when none are).</summary>
    public string? LicenseKeysBefore { get; set; }
    public bool Retired { get; set; }
}

/// <summary>A learning resource of a family (training, samples, docs), in the order the data file lists them.</summary>
internal sealed class LearningLink
{
    public int Id { get; set; }
    public string FamilyCode { get; set; } = "";
    public int Position { get; set; }
    public string Title { get; set; } = "";
    public string Description { get; set; } = "";
    public string Url { get; set; } = "";
}

internal sealed class Product
{
    public string Code { get; set; } = "";
    public string FamilyCode { get; set; } = "";
    public string Name { get; set; } = "";

    /// <summary>Higher is more capable; upgrades go up.</summary>
    public int Rank { get; set; }

    /// <summary>Null when the product is not licensed per seat.</summary>
    public LicenseType? LicenseType { get; set; }

    /// <summary>Only meaningful for floating licenses.</summary>
    public int MaxBorrowDays { get; set; } = ProductSummary.DefaultMaxBorrowDays;
    public bool Retired { get; set; }
}

internal sealed class Plan
{
    public string Code { get; set; } = "";
    public string ProductCode { get; set; } = "";
    public BillingTerm Term { get; set; }
    public bool Retired { get; set; }
    public List<PlanPrice> Prices { get; set; } = [];
}

internal sealed class PlanPrice
{
    public int Id { get; set; }
    public string PlanCode { get; set; } = "";
    public string Currency { get; set; } = "";
    public decimal PricePerSeat { get; set; }
}

internal sealed class UpgradePath
{
    public string FromProductCode { get; set; } = "";
    public string ToProductCode { get; set; } = "";
}

internal sealed class ProductVersion
{
    public int Id { get; set; }
    public string ProductCode { get; set; } = "";
    public string Version { get; set; } = "";
    public DateOnly ReleasedOn { get; set; }
    public List<Build> Builds { get; set; } = [];

    /// <summary>"13" reads as 13.0.</summary>
    public static System.Version? Parse(string version) =>
        System.Version.TryParse(version.Contains('.', StringComparison.Ordinal) ? version : version + ".0", out var v) ? v : null;
}

internal sealed class Build
{
    public int Id { get; set; }
    public int ProductVersionId { get; set; }
    public string OperatingSystem { get; set; } = "";
    public string FileName { get; set; } = "";
    public string Path { get; set; } = "";
    public long SizeBytes { get; set; }
}

/// <summary>Which version of the data file is loaded.</summary>
internal sealed class CatalogState
{
    public int Id { get; set; }
    public int LoadedVersion { get; set; }
    public DateTime LoadedUtc { get; set; }
}
