using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChaosModular.Migrations.PostgreSql.Billing
{
    /// <inheritdoc />
    public partial class PaymentDescriptionVersionAndOneDefaultCard : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Description",
                schema: "billing",
                table: "payments",
                type: "character varying(500)",
                maxLength: 500,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<Guid>(
                name: "Version",
                schema: "billing",
                table: "payments",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.CreateIndex(
                name: "IX_payment_methods_one_default",
                schema: "billing",
                table: "payment_methods",
                column: "CustomerId",
                unique: true,
                filter: "\"IsDefault\" = TRUE");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_payment_methods_one_default",
                schema: "billing",
                table: "payment_methods");

            migrationBuilder.DropColumn(
                name: "Description",
                schema: "billing",
                table: "payments");

            migrationBuilder.DropColumn(
                name: "Version",
                schema: "billing",
                table: "payments");
        }
    }
}
