from typing import Optional

from sqlalchemy import BigInteger, CheckConstraint, Column, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import relationship

from backends.models.base import Base


class Seller(Base):
    __tablename__ = "sellers"

    id = Column(Integer, primary_key=True)
    slug = Column(String(80), nullable=False, unique=True)
    name = Column(String(200), nullable=False)
    country = Column(String(2), nullable=False)
    city = Column(String(100), nullable=False)
    currency = Column(String(3), nullable=False)
    rating = Column(Float, nullable=False)


class Category(Base):
    __tablename__ = "categories"

    id = Column(Integer, primary_key=True)
    slug = Column(String(40), nullable=False, unique=True)
    hs_chapter = Column(Integer, nullable=False)
    texts = relationship("CategoryText", back_populates="category", cascade="all, delete-orphan")

    def name_in(self, language: str) -> str:
        """The category's name in ``language``, else in English, else its slug."""
        names = {t.language: t.name for t in self.texts}
        return names.get(language) or names.get("en") or self.slug


class CategoryText(Base):
    """A category's name and search keywords in one language (keywords: one per line)."""

    __tablename__ = "category_texts"
    __table_args__ = (UniqueConstraint("category_id", "language"),)

    id = Column(Integer, primary_key=True)
    category_id = Column(ForeignKey("categories.id", ondelete="CASCADE"), nullable=False)
    language = Column(String(8), nullable=False)
    name = Column(String(200), nullable=False)
    keywords = Column(Text, nullable=False, default="")
    category = relationship("Category", back_populates="texts")


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("price_minor > 0", name="price_positive"),
        CheckConstraint("stock >= 0", name="stock_not_negative"),
    )

    id = Column(Integer, primary_key=True)
    sku = Column(String(40), nullable=False, unique=True)
    category_id = Column(ForeignKey("categories.id"), nullable=False, index=True)
    seller_id = Column(ForeignKey("sellers.id"), nullable=False, index=True)
    brand = Column(String(100), nullable=False)
    price_minor = Column(BigInteger, nullable=False)
    currency = Column(String(3), nullable=False)
    # The price in US cents at the latest rates: what price-range filters compare
    # (refreshed whenever rates are loaded; the buyer sees their own currency).
    reference_usd_minor = Column(BigInteger, nullable=False, index=True)
    stock = Column(Integer, nullable=False)
    color = Column(String(20), index=True)
    size = Column(String(60))
    ship_from = Column(String(2), nullable=False)
    hs_chapter = Column(Integer, nullable=False)
    image_url = Column(String(300), nullable=False)

    category = relationship("Category")
    seller = relationship("Seller")
    texts = relationship("ProductText", back_populates="product", cascade="all, delete-orphan")

    def text_in(self, language: str) -> Optional["ProductText"]:
        """The product's name and description in ``language``, else in English."""
        texts = {t.language: t for t in self.texts}
        return texts.get(language) or texts.get("en")


class ProductText(Base):
    __tablename__ = "product_texts"
    __table_args__ = (UniqueConstraint("product_id", "language"),)

    id = Column(Integer, primary_key=True)
    product_id = Column(ForeignKey("products.id", ondelete="CASCADE"), nullable=False)
    language = Column(String(8), nullable=False)
    name = Column(String(300), nullable=False)
    description = Column(Text, nullable=False, default="")
    product = relationship("Product", back_populates="texts")
