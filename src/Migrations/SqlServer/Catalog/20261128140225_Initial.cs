using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChaosModular.Migrations.SqlServer.Catalog
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "catalog");

            migrationBuilder.CreateTable(
                name: "catalog_state",
                schema: "catalog",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false),
                    LoadedVersion = table.Column<int>(type: "int", nullable: false),
                    LoadedUtc = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_catalog_state", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "families",
                schema: "catalog",
                columns: table => new
                {
                    Code = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    ServiceUrl = table.Column<string>(type: "nvarchar(300)", maxLength: 300, nullable: true),
                    Retired = table.Column<bool>(type: "bit", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_families", x => x.Code);
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                schema: "catalog",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Type = table.Column<string>(type: "nvarchar(300)", maxLength: 300, nullable: false),
                    Payload = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    OccurredUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    DispatchedUtc = table.Column<DateTime>(type: "datetime2", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbox_messages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "product_versions",
                schema: "catalog",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    ProductCode = table.Column<string>(type: "nvarchar(60)", maxLength: 60, nullable: false),
                    Version = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    ReleasedOn = table.Column<DateOnly>(type: "date", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_product_versions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "upgrade_paths",
                schema: "catalog",
                columns: table => new
                {
                    FromProductCode = table.Column<string>(type: "nvarchar(60)", maxLength: 60, nullable: false),
                    ToProductCode = table.Column<string>(type: "nvarchar(60)", maxLength: 60, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_upgrade_paths", x => new { x.FromProductCode, x.ToProductCode });
                });

            migrationBuilder.CreateTable(
                name: "products",
                schema: "catalog",
                columns: table => new
                {
                    Code = table.Column<string>(type: "nvarchar(60)", maxLength: 60, nullable: false),
                    FamilyCode = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "nvarchar(120)", maxLength: 120, nullable: false),
                    Rank = table.Column<int>(type: "int", nullable: false),
                    Retired = table.Column<bool>(type: "bit", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_products", x => x.Code);
                    table.ForeignKey(
                        name: "FK_products_families_FamilyCode",
                        column: x => x.FamilyCode,
                        principalSchema: "catalog",
                        principalTable: "families",
                        principalColumn: "Code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "builds",
                schema: "catalog",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    ProductVersionId = table.Column<int>(type: "int", nullable: false),
                    OperatingSystem = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    FileName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Path = table.Column<string>(type: "nvarchar(300)", maxLength: 300, nullable: false),
                    SizeBytes = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_builds", x => x.Id);
                    table.ForeignKey(
                        name: "FK_builds_product_versions_ProductVersionId",
                        column: x => x.ProductVersionId,
                        principalSchema: "catalog",
                        principalTable: "product_versions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "plans",
                schema: "catalog",
                columns: table => new
                {
                    Code = table.Column<string>(type: "nvarchar(80)", maxLength: 80, nullable: false),
                    ProductCode = table.Column<string>(type: "nvarchar(60)", maxLength: 60, nullable: false),
                    Term = table.Column<string>(type: "nvarchar(10)", maxLength: 10, nullable: false),
                    Retired = table.Column<bool>(type: "bit", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_plans", x => x.Code);
                    table.ForeignKey(
                        name: "FK_plans_products_ProductCode",
                        column: x => x.ProductCode,
                        principalSchema: "catalog",
                        principalTable: "products",
                        principalColumn: "Code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "plan_prices",
                schema: "catalog",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    PlanCode = table.Column<string>(type: "nvarchar(80)", nullable: false),
                    Currency = table.Column<string>(type: "nchar(3)", fixedLength: true, maxLength: 3, nullable: false),
                    PricePerSeat = table.Column<decimal>(type: "decimal(18,4)", precision: 18, scale: 4, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_plan_prices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_plan_prices_plans_PlanCode",
                        column: x => x.PlanCode,
                        principalSchema: "catalog",
                        principalTable: "plans",
                        principalColumn: "Code",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_builds_ProductVersionId",
                schema: "catalog",
                table: "builds",
                column: "ProductVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_DispatchedUtc",
                schema: "catalog",
                table: "outbox_messages",
                column: "DispatchedUtc");

            migrationBuilder.CreateIndex(
                name: "IX_plan_prices_PlanCode_Currency",
                schema: "catalog",
                table: "plan_prices",
                columns: new[] { "PlanCode", "Currency" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_plans_ProductCode",
                schema: "catalog",
                table: "plans",
                column: "ProductCode");

            migrationBuilder.CreateIndex(
                name: "IX_product_versions_ProductCode_Version",
                schema: "catalog",
                table: "product_versions",
                columns: new[] { "ProductCode", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_products_FamilyCode",
                schema: "catalog",
                table: "products",
                column: "FamilyCode");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "builds",
                schema: "catalog");

            migrationBuilder.DropTable(
                name: "catalog_state",
                schema: "catalog");

            migrationBuilder.DropTable(
                name: "outbox_messages",
                schema: "catalog");

            migrationBuilder.DropTable(
                name: "plan_prices",
                schema: "catalog");

            migrationBuilder.DropTable(
                name: "upgrade_paths",
                schema: "catalog");

            migrationBuilder.DropTable(
                name: "product_versions",
                schema: "catalog");

            migrationBuilder.DropTable(
                name: "plans",
                schema: "catalog");

            migrationBuilder.DropTable(
                name: "products",
                schema: "catalog");

            migrationBuilder.DropTable(
                name: "families",
                schema: "catalog");
        }
    }
}
