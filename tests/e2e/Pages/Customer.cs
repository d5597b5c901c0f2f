namespace ChaosModular.E2E.Pages;

/// <summary>A would-be customer; the email is unique per run so runs never collide.</summary>
public sealed record Customer(string Name, string Email, string Country, string Password)
{
    public static Customer New(string name = "Ada Render", string country = "DE") =>
        new(name, $"e2e-{Guid.NewGuid():N}@example.test", country, "Rendering2026x");
}
