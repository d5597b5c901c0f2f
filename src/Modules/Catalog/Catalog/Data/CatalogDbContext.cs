using ChaosModular.Modules.Infrastructure.Outbox;

namespace ChaosModular.Catalog.Data;

internal sealed class CatalogDbContext(DbContextOptions<CatalogDbContext> options) : DbContext(options), IOutboxContext
{
    public const string Schema = "catalog";

    public DbSet<ProductFamily> Families => Set<ProductFamily>();
    public DbSet<LearningLink> LearningLinks => Set<LearningLink>();
    public DbSet<Product> Products => Set<Product>();
    public DbSet<Plan> Plans => Set<Plan>();
    public DbSet<UpgradePath> UpgradePaths => Set<UpgradePath>();
    public DbSet<ProductVersion> Versions => Set<ProductVersion>();
    public DbSet<CatalogState> State => Set<CatalogState>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddOutbox();
        modelBuilder.Entity<ProductFamily>(b =>
        {
            b.ToTable("families");
            b.HasKey(x => x.Code);
            b.Property(x => x.Code).HasMaxLength(40);
            b.Property(x => x.Name).HasMaxLength(100).IsRequired();
            b.Property(x => x.ServiceUrl).HasMaxLength(300);
            b.Property(x => x.LicenseKeysBefore).HasMaxLength(20);
        });
        modelBuilder.Entity<LearningLink>(b =>
        {
            b.ToTable("learning_links");
            b.HasKey(x => x.Id);
            b.Property(x => x.FamilyCode).HasMaxLength(40).IsRequired();
            b.Property(x => x.Title).HasMaxLength(100).IsRequired();
            b.Property(x => x.Description).HasMaxLength(300).IsRequired();
            b.Property(x => x.Url).HasMaxLength(300).IsRequired();
            b.HasOne<ProductFamily>().WithMany().HasForeignKey(x => x.FamilyCode).OnDelete(DeleteBehavior.Restrict);
            b.HasIndex(x => new { x.FamilyCode, x.Position });
        });
        modelBuilder.Entity<Product>(b =>
        {
            b.ToTable("products");
            b.HasKey(x => x.Code);
            b.Property(x => x.Code).HasMaxLength(60);
            b.Property(x => x.FamilyCode).HasMaxLength(40).IsRequired();
            b.Property(x => x.Name).HasMaxLength(120).IsRequired();
            b.Property(x => x.LicenseType).HasConversion<string>().HasMaxLength(30);
            b.HasOne<ProductFamily>().WithMany().HasForeignKey(x => x.FamilyCode).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<Plan>(b =>
        {
            b.ToTable("plans");
            b.HasKey(x => x.Code);
            b.Property(x => x.Code).HasMaxLength(80);
            b.Property(x => x.ProductCode).HasMaxLength(60).IsRequired();
            b.Property(x => x.Term).HasConversion<string>().HasMaxLength(10);
            b.HasOne<Product>().WithMany().HasForeignKey(x => x.ProductCode).OnDelete(DeleteBehavior.Restrict);
            b.HasMany(x => x.Prices).WithOne().HasForeignKey(p => p.PlanCode).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<PlanPrice>(b =>
        {
            b.ToTable("plan_prices");
            b.HasKey(x => x.Id);
            b.Property(x => x.Currency).HasMaxLength(3).IsFixedLength();
            b.Property(x => x.PricePerSeat).HasPrecision(18, 4);
            b.HasIndex(x => new { x.PlanCode, x.Currency }).IsUnique();
        });
        modelBuilder.Entity<UpgradePath>(b =>
        {
            b.ToTable("upgrade_paths");
            b.HasKey(x => new { x.FromProductCode, x.ToProductCode });
            b.Property(x => x.FromProductCode).HasMaxLength(60);
            b.Property(x => x.ToProductCode).HasMaxLength(60);
        });
        modelBuilder.Entity<ProductVersion>(b =>
        {
            b.ToTable("product_versions");
            b.HasKey(x => x.Id);
            b.Property(x => x.ProductCode).HasMaxLength(60).IsRequired();
            b.Property(x => x.Version).HasMaxLength(20).IsRequired();
            b.HasIndex(x => new { x.ProductCode, x.Version }).IsUnique();
            b.HasMany(x => x.Builds).WithOne().HasForeignKey(x => x.ProductVersionId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<Build>(b =>
        {
            b.ToTable("builds");
            b.HasKey(x => x.Id);
            b.Property(x => x.OperatingSystem).HasMaxLength(20).IsRequired();
            b.Property(x => x.FileName).HasMaxLength(200).IsRequired();
            b.Property(x => x.Path).HasMaxLength(300).IsRequired();
        });
        modelBuilder.Entity<CatalogState>(b =>
        {
            b.ToTable("catalog_state");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.UseUtcDateTimes();
}
