namespace ChaosModular.UnitTests.Catalog;

/// <summary>The guide's catalog: a data file with problems stops start-up, and the message lists every one of them.</summary>
public sealed class CatalogFileStartupTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"chaos-catalog-{Guid.NewGuid():N}.json");

    public void Dispose() => File.Delete(_file);

    [Fact]
    public async Task A_catalog_file_with_several_problems_stops_start_up_with_the_list_of_them()
    {
        await File.WriteAllTextAsync(_file, """
            {"version": 99,
             "families": [{"code": "fam", "name": "Family"}],
             "products": [
               {"code": "a", "family": "nofam", "name": "A", "rank": 2, "licenseType": "Floating",
                "plans": [{"code": "a-annual", "term": "Annual", "prices": {"eur": 0}}],
                "versions": [{"version": "x.y", "releasedOn": "2020-01-01", "builds": []}]},
               {"code": "b", "family": "fam", "name": "B", "rank": 1, "plans": [], "versions": []}],
             "upgrades": [{"from": "a", "to": "zzz"}]}
            """);
        using var factory = new SqlitePortalFactory();
        factory.With("Catalog:DataFile", _file);

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        var problems = Assert.IsType<InvalidDataException>(Unwrap(error));
        Assert.Equal(
            """
            The catalog file has problems:
            - Product 'a' names unknown family 'nofam'.
            - Product 'a' has license type 'Floating'; it is one of FloatingWorkstation, RenderNode, FixedSeat.
            - Plan 'a-annual' has price currency 'eur', which is not an ISO 4217 code.
            - Plan 'a-annual' has a price of 0 eur; prices are positive.
            - Product 'a' has version 'x.y', which is not a version number.
            - Upgrade a -> zzz names an unknown product.
            """.ReplaceLineEndings("\n"), problems.Message);
    }

    private static Exception Unwrap(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is InvalidDataException)
            {
                return e;
            }
        }
        return error;
    }
}
