using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChaosModular.Migrations.PostgreSql.Catalog
{
    /// <inheritdoc />
    public partial class CatalogLicensing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "LicenseType",
                schema: "catalog",
                table: "products",
                type: "character varying(30)",
                maxLength: 30,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MaxBorrowDays",
                schema: "catalog",
                table: "products",
                type: "integer",
                nullable: false,
                defaultValue: 7);   // edited from 0: rows the file no longer lists (retired, so not reloaded) get the catalog default

            migrationBuilder.AddColumn<string>(
                name: "LicenseKeysBefore",
                schema: "catalog",
                table: "families",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LicenseType",
                schema: "catalog",
                table: "products");

            migrationBuilder.DropColumn(
                name: "MaxBorrowDays",
                schema: "catalog",
                table: "products");

            migrationBuilder.DropColumn(
                name: "LicenseKeysBefore",
                schema: "catalog",
                table: "families");
        }
    }
}
